package org.tollguard.alerts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/** POSTs each digest as JSON (tollguard's own document, or Slack's {@code text} and {@code blocks}). */
final class WebhookChannel implements Channel {
    private final AlertsConfig.Webhook config;
    private final CloseableHttpClient http;
    private final String host;

    WebhookChannel(AlertsConfig.Webhook config) {
        this.config = config;
        this.host = java.net.URI.create(config.url()).getHost();
        Timeout timeout = Timeout.of(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout).setResponseTimeout(timeout).build())
                .setUserAgent("tollguard/" + org.tollguard.Version.get())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .build();
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void send(DigestMessage message) throws IOException {
        byte[] body = config.format() == AlertsConfig.Webhook.Format.SLACK
                ? WebhookPayloads.slack(message) : WebhookPayloads.json(message);
        HttpPost post = new HttpPost(config.url());
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        if (config.token() != null && !config.token().isEmpty()) {
            post.setHeader("Authorization", "Bearer " + config.token().value());
        }
        http.execute(post, response -> {
            String answer = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            if (response.getCode() < 200 || response.getCode() > 299) {
                throw new IOException("HTTP " + response.getCode() + " from " + host
                        + (answer.isBlank() ? "" : ": " + (answer.length() > 200 ? answer.substring(0, 200) : answer).strip()));
            }
            return null;
        });
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
