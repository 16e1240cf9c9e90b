package org.tollguard.freeswitch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.FreeSwitchConfig;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialCheck;
import org.tollguard.pbx.PreDialRequest;

/**
 * The pre-dial check for FreeSWITCH: the server end of mod_event_socket's outbound mode. The dialplan include
 * ({@code freeswitch-conf/dialplan/}) runs {@code socket 127.0.0.1:8462} (synchronous, single-channel) before the
 * bridge; FreeSWITCH connects here and the exchange is, byte for byte:
 *
 * <pre>
 * agent:      connect\n\n
 * FreeSWITCH: the channel's data (Event-Name: CHANNEL_DATA, Unique-ID, Caller-*, variable_*, URL-encoded, with
 *             Content-Type: command/reply and Reply-Text: %2BOK%0A among them), ended by a blank line
 * agent:      sendmsg\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: tollguard_result=allow\n\n
 * FreeSWITCH: Content-Type: command/reply\nReply-Text: +OK\n\n
 *   denied:   set tollguard_result=deny, set tollguard_reason=..., then
 *             sendmsg\ncall-command: hangup\nhangup-cause: CALL_REJECTED\n\n   (the check's Q.850 cause, by name)
 *   no verdict (the check failed or took longer than pre-dial.timeout): set tollguard_result=error
 * agent:      exit\n\n
 * FreeSWITCH: +OK bye, a text/disconnect-notice, and closes; the channel goes on with the next dialplan action
 * </pre>
 *
 * Commands in synchronous mode run on the channel's own thread before FreeSWITCH replies, so by the time the
 * hang-up is acknowledged the call is gone. When the agent cannot be reached, or answers {@code error}, the include
 * applies its fail mode (open: the call goes on; closed: it is refused). Values written into dialplan variables are
 * stripped of {@code $}, braces, quotes and percent signs: FreeSWITCH expands {@code ${...}} in application data.
 *
 * <p>Only loopback and the configured FreeSWITCH host may connect; the protocol has no authentication of its own.
 * Each connection runs on a thread of a bounded pool; when all are busy the connection is closed at once (the
 * fail mode decides) rather than queued.
 */
public final class PreDialServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PreDialServer.class);
    private static final int MAX_CONNECTIONS = 64;

    private final FreeSwitchConfig.PreDial config;
    private final String freeswitchHost;
    private final PreDialCheck check;
    private final long timeoutMillis;
    private final ThreadPoolExecutor connections;
    private final ExecutorService checks;
    private final AtomicLong answered = new AtomicLong();
    private volatile InetAddress freeswitchAddress;
    private volatile ServerSocket server;
    private volatile boolean closed;

    public PreDialServer(FreeSwitchConfig.PreDial config, String freeswitchHost, PreDialCheck check) {
        this.config = config;
        this.freeswitchHost = freeswitchHost;
        this.check = check;
        this.timeoutMillis = config.timeout().toMillis();
        AtomicInteger n = new AtomicInteger();
        this.connections = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "freeswitch-predial-" + n.incrementAndGet()));
        AtomicInteger m = new AtomicInteger();
        this.checks = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "freeswitch-predial-check-" + m.incrementAndGet()));
    }

    /** Binds and starts accepting; throws if the address is taken. */
    public void start() throws IOException {
        try {
            freeswitchAddress = InetAddress.getByName(freeswitchHost);
        } catch (UnknownHostException e) {
            log.warn("pre-dial: cannot resolve freeswitch.host={}; only loopback may connect", freeswitchHost);
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(IpAddresses.parse(config.listen()), config.port()), 128);
        server = s;
        Thread t = daemon(this::acceptLoop, "freeswitch-predial-accept");
        t.start();
        log.info("pre-dial check listening for FreeSWITCH listen={} port={} timeout={}ms", config.listen(), port(),
                timeoutMillis);
    }

    public int port() {
        ServerSocket s = server;
        return s == null ? config.port() : s.getLocalPort();
    }

    /** Checks answered since start (allow, deny or no verdict). */
    public long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        closed = true;
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.shutdownNow();
        checks.shutdownNow();
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!closed) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.error("pre-dial: accept failed error=\"{}\"", e.getMessage());
                }
                return;
            }
            InetAddress peer = socket.getInetAddress();
            if (!isAllowedPeer(peer)) {
                log.warn("pre-dial: connection refused peer={} reason=\"only loopback and freeswitch.host may"
                        + " connect\"", IpAddresses.format(peer));
                closeQuietly(socket);
                continue;
            }
            try {
                connections.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                log.warn("pre-dial: {} checks in progress, connection closed (the dialplan's fail mode decides)",
                        MAX_CONNECTIONS);
                closeQuietly(socket);
            }
        }
    }

    boolean isAllowedPeer(InetAddress peer) {
        return peer.isLoopbackAddress() || peer.equals(freeswitchAddress);
    }

    private void serve(Socket socket) {
        long start = System.nanoTime();
        String callId = "?";
        try (OutboundConnection c = new OutboundConnection(socket)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.max(timeoutMillis, 2000));
            c.send("connect");
            OutboundConnection.Frame data = c.read(true);
            if (data == null || !data.contentType().equals("command/reply")
                    || !data.replyText().startsWith("+OK")) {
                log.warn("pre-dial: FreeSWITCH did not send the channel data peer={} got=\"{}\"",
                        IpAddresses.format(socket.getInetAddress()), data == null ? "end of stream"
                                : Text.clean(data.contentType() + " " + data.replyText()));
                return;
            }
            ChannelFields channel = new ChannelFields(data::header);
            callId = Text.clean(channel.uuid());
            PreDialRequest request = new PreDialRequest(channel.uuid(), channel.account(), channel.caller(),
                    channel.destination(), channel.source());
            PreDialAnswer answer = decide(request);
            if (answer == null) {
                set(c, "tollguard_result", "error");
            } else if (answer.allowed()) {
                set(c, "tollguard_result", "allow");
            } else {
                set(c, "tollguard_result", "deny");
                set(c, "tollguard_reason", Text.variableSafe(answer.reason()));
                String cause = HangupCauses.name(answer.cause() > 0 ? answer.cause() : 21);
                c.send("sendmsg", "call-command: hangup", "hangup-cause: " + cause);
                reply(c, "hangup");
            }
            answered.incrementAndGet();
            log.info("pre-dial check callId={} account=\"{}\" destination=\"{}\" source={} verdict={} reason=\"{}\""
                            + " ms={}", callId, request.account(), request.destination(),
                    request.source() == null ? "-" : IpAddresses.format(request.source()),
                    answer == null ? "none" : answer.allowed() ? "allow" : "deny",
                    answer == null ? "no answer from the check" : Text.clean(answer.reason()),
                    (System.nanoTime() - start) / 1_000_000);
            c.send("exit");
            c.drain();
        } catch (SocketTimeoutException e) {
            log.warn("pre-dial: FreeSWITCH did not answer in time callId={}", callId);
        } catch (SocketException | java.io.EOFException e) {
            log.debug("pre-dial: connection ended callId={} error=\"{}\"", callId, e.getMessage());
        } catch (IOException e) {
            log.warn("pre-dial: exchange failed callId={} error=\"{}\"", callId, e.getMessage());
        }
    }

    /** The check's answer, or null if it failed or did not answer within the timeout. */
    private PreDialAnswer decide(PreDialRequest request) {
        CompletableFuture<PreDialAnswer> f;
        try {
            f = CompletableFuture.supplyAsync(() -> check.check(request), checks);
        } catch (RejectedExecutionException e) {
            log.warn("pre-dial: no thread free for the check callId={}", request.callId());
            return null;
        }
        try {
            PreDialAnswer a = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (a == null) {
                log.error("pre-dial: the check returned no answer callId={}", request.callId());
            }
            return a;
        } catch (TimeoutException e) {
            f.cancel(true);
            log.error("pre-dial: the check took longer than {}ms callId={}", timeoutMillis, request.callId());
        } catch (ExecutionException e) {
            log.error("pre-dial: the check failed callId={}", request.callId(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static void set(OutboundConnection c, String variable, String value) throws IOException {
        c.send("sendmsg", "call-command: execute", "execute-app-name: set",
                "execute-app-arg: " + variable + "=" + value);
        reply(c, "set " + variable);
    }

    private static void reply(OutboundConnection c, String what) throws IOException {
        OutboundConnection.Frame f = c.read(false);
        if (f == null) {
            throw new java.io.EOFException("FreeSWITCH closed the connection before answering " + what);
        }
        if (!f.replyText().startsWith("+OK")) {
            log.warn("pre-dial: FreeSWITCH refused {} reply=\"{}\"", what, Text.clean(f.replyText()));
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
