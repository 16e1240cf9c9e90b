package org.tollguard.freeswitch.esl;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inbound Event Socket client: connects to FreeSWITCH, authenticates, subscribes, and stays connected.
 *
 * <p><b>Threads.</b> {@link #start()} starts one daemon reader thread that connects, reads every frame and calls the
 * {@link EslListener} (so the listener must not block), plus one daemon keep-alive thread. Command methods may be
 * called from any thread, including the listener; they write the command at once and never wait for the reply: the
 * returned future completes on the reader thread when the reply arrives (use the {@code *Async} stages for anything
 * slow, and never {@code join()} one inside the listener).
 *
 * <p><b>Connection.</b> On every (re)connect: wait for {@code auth/request}, send {@code auth}, then the event
 * subscription ({@link EslConfig#eventCommand()}) and, if a log level is set, {@code log LEVEL}; then
 * {@link EslListener#onConnected()}. When the socket drops, FreeSWITCH restarts, a {@code text/disconnect-notice}
 * arrives, a frame is malformed or too large, or nothing arrives for three keep-alive intervals, the connection is
 * closed, every pending future fails with {@link EslException}, {@link EslListener#onDisconnected} is called and the
 * client reconnects after {@link EslConfig#initialBackoff()}, doubling the delay after every failed attempt up to
 * {@link EslConfig#maxBackoff()}. A rejected password is logged as an error, reported to
 * {@link EslListener#onAuthFailed} and retried every {@link EslConfig#authFailureBackoff()} (the operator may fix
 * FreeSWITCH's config without restarting tollguard); likewise a {@code text/rude-rejection} (ACL).
 */
public final class EslClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EslClient.class);

    private enum Outcome { LOST, CONNECT_FAILED, REJECTED, CLOSED }

    private final EslConfig config;
    private final EslListener listener;
    private final String target;
    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    /** The socket being connected or in use, for close(). */
    private volatile Socket activeSocket;
    /** The connection being set up or in use, for close(). */
    private volatile EslConnection active;
    /** The authenticated connection, null while disconnected. */
    private volatile EslConnection connection;
    private volatile String logLevel;
    private Thread reader;
    private ScheduledExecutorService keepAlive;

    public EslClient(EslConfig config, EslListener listener) {
        this.config = config;
        this.listener = listener;
        this.target = config.host() + ":" + config.port();
        this.logLevel = config.logLevel();
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        synchronized (lifecycle) {
            if (reader != null || closed) {
                throw new IllegalStateException("EslClient already started or closed");
            }
            reader = new Thread(this::run, "esl-" + target);
            reader.setDaemon(true);
            reader.start();
            if (!config.keepAliveInterval().isZero()) {
                keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "esl-keepalive-" + target);
                    t.setDaemon(true);
                    return t;
                });
                long period = Math.max(10, config.keepAliveInterval().toMillis() / 4);
                keepAlive.scheduleWithFixedDelay(this::checkAlive, period, period, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** True while authenticated on a live socket. */
    public boolean isConnected() {
        EslConnection c = connection;
        return c != null && !c.isClosed();
    }

    /**
     * Runs {@code api <command>}. Completes with the {@code api/response} body as FreeSWITCH sent it, including a body
     * that starts with {@code -ERR} (that is the command's own answer, e.g. {@code -ERR No such channel!}); fails with
     * {@link EslException} when not connected, when the connection drops first, or when FreeSWITCH refuses the
     * command itself. FreeSWITCH runs {@code api} commands on the socket's thread, so a slow one delays every event
     * behind it: use {@link #bgapi} for anything that can take seconds (originate, long lookups).
     */
    public CompletableFuture<String> api(String command) {
        requireOneLine(command);
        return send("api " + command).thenCompose(m -> {
            if ("api/response".equalsIgnoreCase(m.contentType())) {
                return CompletableFuture.completedFuture(m.bodyText());
            }
            return CompletableFuture.failedFuture(refused("api " + firstWord(command), m));
        });
    }

    /**
     * Runs {@code bgapi <command>} with a Job-UUID chosen here and completes with the BACKGROUND_JOB event of that job
     * (its {@link EslEvent#body()} is the command output). That event is not passed to the listener. Add a timeout
     * ({@code orTimeout}) if the command may never finish; completing the future early forgets the job.
     */
    public CompletableFuture<EslEvent> bgapi(String command) {
        requireOneLine(command);
        EslConnection c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        String jobUuid = UUID.randomUUID().toString();
        CompletableFuture<EslEvent> result = c.registerJob(jobUuid);
        result.whenComplete((e, t) -> c.forgetJob(jobUuid));
        c.send("bgapi " + command + "\nJob-UUID: " + jobUuid).whenComplete((m, t) -> {
            if (t != null) {
                result.completeExceptionally(unwrap(t));
            } else if (!ok(m)) {
                result.completeExceptionally(refused("bgapi " + firstWord(command), m));
            }
        });
        return result;
    }

    /**
     * Streams FreeSWITCH's log at {@code level} and below ({@code log LEVEL}; e.g. {@code WARNING} or {@code 4}) to
     * {@link EslListener#onLog}. The level is kept and sent again after every reconnect; when not connected the
     * future fails but the level still applies from the next connect. Completes with FreeSWITCH's reply text.
     */
    public CompletableFuture<String> log(String level) {
        if (level == null || !level.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("invalid log level: " + level);
        }
        logLevel = level;
        return command("log " + level);
    }

    /** Stops the log stream ({@code nolog}), also for later reconnects. */
    public CompletableFuture<String> nolog() {
        logLevel = null;
        return command("nolog");
    }

    /** Stops the threads and closes the socket; pending futures fail. Idempotent. */
    @Override
    public void close() {
        Thread r;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            r = reader;
        }
        closeSignal.countDown();
        EslConnection c = active;
        if (c != null) {
            c.close("client closed");
        }
        closeQuietly(activeSocket);
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        if (r != null && r != Thread.currentThread()) {
            try {
                r.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long delay = config.initialBackoff().toMillis();
        int failures = 0;
        while (!closed) {
            Outcome outcome = connectAndServe(failures);
            long wait;
            switch (outcome) {
                case LOST -> {
                    failures = 0;
                    delay = config.initialBackoff().toMillis();
                    wait = delay;
                }
                case REJECTED -> {
                    failures++;
                    delay = config.initialBackoff().toMillis();
                    wait = config.authFailureBackoff().toMillis();
                }
                case CONNECT_FAILED -> {
                    failures++;
                    wait = delay;
                    delay = Math.min(delay * 2, config.maxBackoff().toMillis());
                }
                default -> {
                    return;
                }
            }
            if (closed) {
                return;
            }
            log.debug("reconnecting to FreeSWITCH target={} inMs={}", target, wait);
            try {
                if (closeSignal.await(wait, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Outcome connectAndServe(int failures) {
        Socket socket = new Socket();
        activeSocket = socket;
        EslConnection c = null;
        boolean authenticated = false;
        String reason = "disconnected";
        String closedHere = null;
        try {
            if (closed) {
                return Outcome.CLOSED;
            }
            socket.connect(new InetSocketAddress(config.host(), config.port()),
                    (int) config.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout((int) config.handshakeTimeout().toMillis());
            c = new EslConnection(socket, config.maxFrameBytes());
            active = c;
            if (closed) {
                return Outcome.CLOSED;
            }
            Outcome handshake = authenticate(c);
            if (handshake != null) {
                return handshake;
            }
            socket.setSoTimeout(0);
            authenticated = true;
            connection = c;
            log.info("connected to FreeSWITCH Event Socket target={} subscription=\"{}\" logLevel={}", target,
                    config.eventCommand(), logLevel);
            c.send(config.eventCommand()).whenComplete((m, t) -> logRefusal("event subscription", m));
            String level = logLevel;
            if (level != null) {
                c.send("log " + level).whenComplete((m, t) -> logRefusal("log " + level, m));
            }
            safely("onConnected", listener::onConnected);
            reason = serve(c);
        } catch (EslProtocolException e) {
            reason = "invalid frame from FreeSWITCH: " + e.getMessage();
            log.error("dropping the FreeSWITCH Event Socket connection target={} reason=\"{}\"", target, reason);
        } catch (IOException e) {
            reason = describe(e);
        } finally {
            connection = null;
            if (c != null) {
                closedHere = c.closeReason(); // set if this side closed it: client closed, keep-alive, write failure
                c.close(closedHere == null ? reason : closedHere);
            } else {
                closeQuietly(socket);
            }
        }
        if (closedHere != null) {
            reason = closedHere;
        }
        if (authenticated) {
            if (closed) {
                log.info("disconnected from FreeSWITCH Event Socket target={} reason=\"{}\"", target, reason);
            } else {
                log.warn("disconnected from FreeSWITCH Event Socket target={} reason=\"{}\"; reconnecting", target,
                        reason);
            }
            String r = reason;
            safely("onDisconnected", () -> listener.onDisconnected(r));
            return closed ? Outcome.CLOSED : Outcome.LOST;
        }
        if (closed) {
            return Outcome.CLOSED;
        }
        if (failures == 0 || failures % 10 == 0) {
            log.warn("cannot connect to FreeSWITCH Event Socket target={} reason=\"{}\" attempt={}", target, reason,
                    failures + 1);
        } else {
            log.debug("cannot connect to FreeSWITCH Event Socket target={} reason=\"{}\" attempt={}", target, reason,
                    failures + 1);
        }
        return Outcome.CONNECT_FAILED;
    }

    /** Returns null when authenticated, else why not (after logging it). */
    private Outcome authenticate(EslConnection c) throws IOException {
        EslMessage first = c.read();
        if (first == null) {
            throw new EOFException("FreeSWITCH closed the connection before auth/request");
        }
        if ("text/rude-rejection".equalsIgnoreCase(first.contentType())) {
            log.error("FreeSWITCH Event Socket refused this client by its ACL target={} reply=\"{}\"; allow this host"
                    + " in event_socket.conf.xml (apply-inbound-acl); retrying every {}", target,
                    first.bodyText().trim(), human(config.authFailureBackoff()));
            String reply = first.bodyText().trim();
            safely("onAuthFailed", () -> listener.onAuthFailed(reply));
            return Outcome.REJECTED;
        }
        if (!"auth/request".equalsIgnoreCase(first.contentType())) {
            throw new EslProtocolException("expected auth/request, got Content-Type " + first.contentType());
        }
        c.writeDirect("auth " + config.password());
        EslMessage reply;
        do {
            reply = c.read();
            if (reply == null) {
                throw new EOFException("FreeSWITCH closed the connection before answering auth");
            }
        } while (!"command/reply".equalsIgnoreCase(reply.contentType()));
        if (ok(reply)) {
            return null;
        }
        String text = String.valueOf(reply.header("Reply-Text"));
        log.error("FreeSWITCH Event Socket rejected the password target={} reply=\"{}\"; the password in the"
                + " tollguard config must match event_socket.conf.xml; retrying every {}", target, text,
                human(config.authFailureBackoff()));
        safely("onAuthFailed", () -> listener.onAuthFailed(text));
        return Outcome.REJECTED;
    }

    /** Reads and dispatches frames until the connection ends; returns why it ended. */
    private String serve(EslConnection c) throws IOException {
        while (!closed) {
            EslMessage m = c.read();
            if (m == null) {
                return "connection closed by FreeSWITCH";
            }
            String end = dispatch(c, m);
            if (end != null) {
                return end;
            }
        }
        return "client closed";
    }

    private String dispatch(EslConnection c, EslMessage m) {
        String type = m.contentType() == null ? "" : m.contentType().toLowerCase(java.util.Locale.ROOT);
        switch (type) {
            case "command/reply", "api/response" -> {
                if (!c.completeReply(m)) {
                    log.debug("ignoring unsolicited reply type={} reply=\"{}\"", type, m.header("Reply-Text"));
                }
            }
            case "text/event-plain", "text/event-json" -> {
                EslEvent e;
                try {
                    e = EslEvent.parse(m);
                } catch (IOException | RuntimeException ex) {
                    log.warn("ignoring unparsable event type={} bytes={} error=\"{}\"", type, m.body().length,
                            ex.getMessage());
                    return null;
                }
                if ("BACKGROUND_JOB".equals(e.name()) && c.completeJob(e)) {
                    return null;
                }
                safely("onEvent", () -> listener.onEvent(e));
            }
            case "log/data" -> {
                EslLogLine line = EslLogLine.parse(m);
                safely("onLog", () -> listener.onLog(line));
            }
            case "text/disconnect-notice" -> {
                if ("linger".equalsIgnoreCase(m.header("Content-Disposition"))) {
                    log.debug("FreeSWITCH will linger before disconnecting");
                    return null;
                }
                String text = m.bodyText().trim().replace('\n', ' ');
                return "FreeSWITCH sent a disconnect notice" + (text.isEmpty() ? "" : ": " + text);
            }
            case "text/rude-rejection" -> {
                return "FreeSWITCH rejected the connection: " + m.bodyText().trim();
            }
            default -> log.debug("ignoring frame of unknown Content-Type type=\"{}\" bytes={}", m.contentType(),
                    m.body().length);
        }
        return null;
    }

    private void checkAlive() {
        try {
            EslConnection c = connection;
            if (c == null || c.isClosed()) {
                return;
            }
            long interval = config.keepAliveInterval().toNanos();
            long idle = c.idleNanos();
            if (idle >= 3 * interval) {
                c.close("no data from FreeSWITCH for " + Duration.ofNanos(idle).toMillis() + " ms (keep-alive)");
            } else if (idle >= interval) {
                c.ping(interval);
            }
        } catch (RuntimeException e) {
            log.warn("keep-alive check failed", e);
        }
    }

    private CompletableFuture<String> command(String command) {
        return send(command).thenCompose(m -> ok(m)
                ? CompletableFuture.completedFuture(m.header("Reply-Text"))
                : CompletableFuture.failedFuture(refused(command, m)));
    }

    private CompletableFuture<EslMessage> send(String command) {
        EslConnection c = connection;
        return c == null ? CompletableFuture.failedFuture(notConnected()) : c.send(command);
    }

    private EslException notConnected() {
        return new EslException("not connected to FreeSWITCH at " + target);
    }

    private static boolean ok(EslMessage m) {
        String reply = m.header("Reply-Text");
        return reply != null && reply.startsWith("+OK");
    }

    private static EslException refused(String what, EslMessage m) {
        String reply = m.header("Reply-Text");
        return new EslException("FreeSWITCH refused " + what + ": " + reply, reply);
    }

    private static void logRefusal(String what, EslMessage reply) {
        if (reply != null && !ok(reply)) {
            log.error("FreeSWITCH refused {} reply=\"{}\"", what, reply.header("Reply-Text"));
        }
    }

    private void safely(String callback, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("EslListener.{} threw; continuing", callback, e);
        }
    }

    private static void requireOneLine(String command) {
        if (command == null || command.isBlank() || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("command must be one non-empty line");
        }
    }

    private static String firstWord(String command) {
        String t = command.strip();
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out: " + e.getMessage();
        }
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
