package org.tollguard.asterisk;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.AsteriskConfig;
import org.tollguard.pbx.PbxEventListener;

/**
 * Asterisk's security events on an AMI session of our own ({@code Events: security} only), read by
 * {@link AmiFrameReader} and mapped straight to {@link org.tollguard.pbx.AuthEvent}s: a scan wave sends far more of
 * them than asterisk-java's reflective event builder keeps up with. Logs in with the MD5 challenge, pings every
 * {@link #PING_EVERY} and counts the session dead when nothing arrives for {@link #READ_TIMEOUT}; reconnects with
 * the adapter's back-off (1 s doubling up to {@code reconnect-max}). Every change of state goes to {@code state}.
 */
final class AmiSecurityStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiSecurityStream.class);
    static final Duration PING_EVERY = Duration.ofSeconds(15);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(45);

    /** Hears the stream go up and down. */
    interface StateListener {
        void changed(boolean up, String detail);
    }

    private final AsteriskConfig config;
    private final Clock clock;
    private final PbxEventListener listener;
    private final StateListener state;
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ami-security-ping");
        t.setDaemon(true);
        return t;
    });
    private volatile Socket socket;
    private volatile boolean up;
    private volatile boolean closed;
    private Thread reader;

    AmiSecurityStream(AsteriskConfig config, Clock clock, PbxEventListener listener, StateListener state) {
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.state = state;
    }

    void start() {
        reader = new Thread(this::run, "ami-security");
        reader.setDaemon(true);
        reader.start();
        long every = PING_EVERY.toMillis();
        pinger.scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
    }

    boolean isConnected() {
        return up;
    }

    private void run() {
        Duration delay = Duration.ofSeconds(1);
        while (!closed) {
            try (Socket s = new Socket()) {
                socket = s;
                s.setReceiveBufferSize(1 << 20); // before connect: a window over 64 KB is agreed in the handshake
                s.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
                s.setSoTimeout((int) config.connectTimeout().toMillis());
                AmiFrameReader in = new AmiFrameReader(s.getInputStream());
                login(in, s.getOutputStream());
                s.setSoTimeout((int) READ_TIMEOUT.toMillis());
                up = true;
                delay = Duration.ofSeconds(1);
                log.info("ami security events connected host={} port={}", config.host(), config.port());
                state.changed(true, "security events connected");
                read(in);
                throw new EOFException("closed by Asterisk");
            } catch (LoginRefused e) {
                log.error("ami security events: login refused host={} port={} username={} reason=\"{}\"",
                        config.host(), config.port(), config.username(), e.getMessage());
                down("security events: login refused (" + e.getMessage() + ")");
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    break;
                }
                String why = e instanceof SocketTimeoutException && up
                        ? "nothing from AMI for " + READ_TIMEOUT.toSeconds() + "s" : String.valueOf(e.getMessage());
                log.warn("ami security events down host={} port={} error=\"{}\" retry-in={}s", config.host(),
                        config.port(), why, delay.toSeconds());
                down("security events: " + why);
            } finally {
                socket = null;
            }
            sleep(delay);
            delay = delay.multipliedBy(2).compareTo(config.reconnectMax()) <= 0 ? delay.multipliedBy(2)
                    : config.reconnectMax();
        }
    }

    private void down(String detail) {
        up = false;
        if (!closed) {
            state.changed(false, detail);
        }
    }

    private void read(AmiFrameReader in) throws IOException {
        AmiFrame frame;
        while ((frame = in.next()) != null) {
            if (frame.event() != null) {
                try {
                    SecurityEventMapper.map(frame, clock.instant()).ifPresent(listener::onEvent);
                } catch (RuntimeException e) {
                    log.error("security event not handed over type={} error=\"{}\"", frame.event(), e.toString());
                }
            }
        }
    }

    private void login(AmiFrameReader in, OutputStream out) throws IOException {
        String banner = in.readLine();
        if (banner == null || !banner.startsWith("Asterisk Call Manager")) {
            throw new IOException("not an Asterisk manager interface (banner \"" + SecurityEventMapper.clean(banner) + "\")");
        }
        send(out, "Action: Challenge\r\nActionID: tg-sec-1\r\nAuthType: MD5\r\n\r\n");
        AmiFrame challenge = response(in);
        if (!"Success".equalsIgnoreCase(challenge.response()) || challenge.challenge() == null) {
            throw new LoginRefused("no MD5 challenge: " + SecurityEventMapper.clean(challenge.message()));
        }
        send(out, "Action: Login\r\nActionID: tg-sec-2\r\nAuthType: MD5\r\nUsername: " + config.username()
                + "\r\nKey: " + md5(challenge.challenge() + config.secret().value()) + "\r\nEvents: security\r\n\r\n");
        AmiFrame login = response(in);
        if (!"Success".equalsIgnoreCase(login.response())) {
            throw new LoginRefused("wrong username or secret, or no permit for this address");
        }
    }

    /** The next response, skipping any event that comes first. */
    private static AmiFrame response(AmiFrameReader in) throws IOException {
        AmiFrame f;
        while ((f = in.next()) != null) {
            if (f.response() != null) {
                return f;
            }
        }
        throw new EOFException("closed by Asterisk during login");
    }

    private void ping() {
        Socket s = socket;
        if (s == null || !up) {
            return;
        }
        try {
            send(s.getOutputStream(), "Action: Ping\r\nActionID: tg-sec-ping\r\n\r\n");
        } catch (IOException e) {
            log.warn("ami security events ping failed error=\"{}\"", e.getMessage());
            closeQuietly(s);
        }
    }

    private static void send(OutputStream out, String action) throws IOException {
        synchronized (out) {
            out.write(action.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        up = false;
        pinger.shutdownNow();
        Socket s = socket;
        if (s != null) {
            closeQuietly(s);
        }
        if (reader != null) {
            reader.interrupt();
        }
    }

    private static final class LoginRefused extends IOException {
        LoginRefused(String message) {
            super(message);
        }
    }
}
