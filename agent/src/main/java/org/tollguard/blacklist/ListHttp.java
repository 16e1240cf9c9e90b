package org.tollguard.blacklist;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.tollguard.Version;

/**
 * The agent's HTTP client for lists and reports (Apache HttpClient 5): gzip and deflate answers are accepted and
 * decoded by the client, no automatic retries (the callers decide), and every request ends by its deadline, even a
 * server that trickles one byte a minute.
 */
public final class ListHttp implements AutoCloseable {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "blacklist-http-deadline");
        t.setDaemon(true);
        return t;
    });

    private final CloseableHttpClient client;

    public ListHttp() {
        this.client = HttpClients.custom()
                .setUserAgent("tollguard/" + Version.get())
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.ofSeconds(60))
                                .build())
                        .build())
                .build();
    }

    /** Reads a response; may throw what the caller's parsing throws. */
    @FunctionalInterface
    interface Handler<T> {
        T handle(ClassicHttpResponse response) throws IOException, ListException;
    }

    <T> T get(URI uri, Map<String, String> headers, Duration deadline, Handler<T> handler)
            throws IOException, ListException {
        return execute(new HttpGet(uri), headers, deadline, handler);
    }

    <T> T postJson(URI uri, Map<String, String> headers, byte[] json, Duration deadline, Handler<T> handler)
            throws IOException, ListException {
        HttpPost post = new HttpPost(uri);
        post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
        return execute(post, headers, deadline, handler);
    }

    private <T> T execute(HttpUriRequestBase request, Map<String, String> headers, Duration deadline,
                          Handler<T> handler) throws IOException, ListException {
        if (deadline.isZero() || deadline.isNegative()) {
            throw new ListException("out of time before asking " + request.getRequestUri());
        }
        headers.forEach(request::setHeader);
        Timeout timeout = Timeout.ofMilliseconds(Math.max(1, deadline.toMillis()));
        request.setConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build());
        ScheduledFuture<?> abort = DEADLINES.schedule(request::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(request, response -> {
                try {
                    return handler.handle(response);
                } catch (ListException e) {
                    throw new WrappedListException(e);
                }
            });
        } catch (WrappedListException e) {
            throw e.list;
        } catch (IOException e) {
            if (request.isCancelled()) {
                throw new ListException("no complete answer from " + request.getRequestUri() + " within "
                        + org.tollguard.yamlconfig.Durations.format(deadline), e);
            }
            throw e;
        } finally {
            abort.cancel(false);
        }
    }

    /** Carries a {@link ListException} through HttpClient's handler, which only lets IOExceptions out. */
    private static final class WrappedListException extends IOException {
        final ListException list;

        WrappedListException(ListException list) {
            super(list.getMessage(), list);
            this.list = list;
        }
    }

    static String header(ClassicHttpResponse response, String name) {
        var h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    @Override
    public void close() throws IOException {
        client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }
}
