package org.tollguard.hub.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.intake.ReportIntake;
import org.tollguard.hub.publish.ListFiles;
import org.tollguard.protocol.ErrorBody;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ProtocolJson;

/** The hub's HTTP API (docs/hub-protocol.md) on Javalin: HTTPS from PEM files, or plain HTTP behind a proxy. */
public final class HubHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HubHttpServer.class);

    private final Javalin app;

    private HubHttpServer(Javalin app) {
        this.app = app;
    }

    public static HubHttpServer start(HubConfig config, Enrollment enrollment, ReportIntake intake, ListFiles files,
                                      List<String> publicKeys, Clock clock) throws IOException, GeneralSecurityException {
        String list = config.publication().list();
        AgentRoutes agents = new AgentRoutes(enrollment, intake, config.intake().maxBodyBytes(), list, publicKeys, clock);
        ListRoutes lists = new ListRoutes(list, files, enrollment, config.publication().requireAuth());
        KeyStore tls = config.http().tls()
                ? PemKeyStore.load(config.http().tlsCertificate(), config.http().tlsKey()) : null;
        Javalin app = Javalin.create(c -> {
            c.jsonMapper(new JavalinJackson(ProtocolJson.mapper(), false));
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.http.maxRequestSize = config.intake().maxBodyBytes();
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.http().address();
            c.jetty.port = config.http().port();
            if (tls != null) {
                c.jetty.addConnector((server, httpConfig) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(tls);
                    ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
                    httpConfig.addCustomizer(new SecureRequestCustomizer());
                    ServerConnector https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                            new HttpConnectionFactory(httpConfig));
                    https.setHost(config.http().address());
                    https.setPort(config.http().port());
                    return https;
                });
            }
            c.routes.post(HubPaths.ENROLL, agents::enroll);
            c.routes.post(HubPaths.REPORTS, agents::reports);
            c.routes.post(HubPaths.HEARTBEAT, agents::heartbeat);
            c.routes.get(HubPaths.LISTS + "{list}/" + HubPaths.HEAD, lists::head);
            c.routes.get(HubPaths.LISTS + "{list}/" + HubPaths.HEAD + HubPaths.SIGNATURE_SUFFIX, lists::headSignature);
            c.routes.get(HubPaths.LISTS + "{list}/{directory}/{name}", lists::file);
            c.routes.exception(HttpProblem.class, (e, ctx) -> {
                if (e.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
                }
                ctx.status(e.status()).json(new ErrorBody(e.getMessage()));
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(503).header("Retry-After", "5")
                        .json(new ErrorBody("the hub cannot answer now (" + e.getClass().getSimpleName() + ")"));
            });
            c.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    ctx.json(new ErrorBody("no such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
        });
        app.start();
        log.info("hub listening on {}://{}:{}", tls != null ? "https" : "http", config.http().address(), app.port());
        return new HubHttpServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
