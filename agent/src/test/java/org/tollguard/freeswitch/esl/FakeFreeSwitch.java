package org.tollguard.freeswitch.esl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A test server on 127.0.0.1 that speaks the inbound Event Socket protocol like mod_event_socket 1.10.12, answering
 * with the frames a real one sent ({@link Replies}): {@code auth/request} on connect, {@code auth} (wrong password:
 * {@code -ERR invalid}, disconnect notice, close), {@code event plain|json}, {@code log WARNING|7}, {@code nolog},
 * {@code exit}, {@code api show channels as json} (no channel up). Made up ({@link Frames}, never captured): the
 * replies to other log levels and event formats, to {@code api version} and other api commands, and to
 * {@code bgapi} (its command/reply and BACKGROUND_JOB). Tests push any bytes, split anywhere, through {@link Conn}.
 */
public final class FakeFreeSwitch implements AutoCloseable {
    public record Command(String line, Map<String, String> headers) {
        public boolean startsWith(String prefix) {
            return line.startsWith(prefix);
        }
    }

    /** Handles a command itself (return true) or leaves it to the default behaviour (false). */
    public interface Handler {
        boolean handle(Conn conn, Command command) throws IOException;
    }

    private final ServerSocket server;
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private volatile String password;
    private volatile Handler handler = (c, cmd) -> false;
    private volatile Function<String, byte[]> apiResponder = FakeFreeSwitch::defaultApi;
    private volatile boolean silentAfterAuth;

    public FakeFreeSwitch(String password) throws IOException {
        this(password, 0);
    }

    public FakeFreeSwitch(String password, int port) throws IOException {
        this.password = password;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        Thread t = new Thread(this::acceptLoop, "fake-freeswitch-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void password(String password) {
        this.password = password;
    }

    public void handler(Handler handler) {
        this.handler = handler;
    }

    /** Answers {@code api CMD}: the whole api/response frame for CMD. */
    public void apiResponder(Function<String, byte[]> responder) {
        this.apiResponder = responder;
    }

    /** After auth, read and record commands but answer nothing (a hung FreeSWITCH). */
    public void silentAfterAuth(boolean silent) {
        this.silentAfterAuth = silent;
    }

    public Conn awaitConnection(Duration timeout) throws InterruptedException {
        Conn c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no connection within " + timeout);
        }
        return c;
    }

    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Conn c : connections) {
            c.drop();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Conn c = new Conn(s);
                connections.add(c);
                accepted.add(c);
                Thread t = new Thread(c::serve, "fake-freeswitch-conn-" + connections.size());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The real answer to {@code show channels as json} with no channel up; a made-up one to anything else. */
    public static byte[] defaultApi(String command) {
        return switch (command) {
            case "show channels as json" -> Replies.noChannels();
            case "version" -> version();
            default -> command.startsWith("global_setvar ") ? Frames.apiResponse("+OK") // mod_commands' exact text
                    : Frames.apiResponse("+OK " + command + "\n");
        };
    }

    /** {@code api version} (not captured; mod_commands' version_function text). */
    public static byte[] version() {
        return Frames.apiResponse("FreeSWITCH Version 1.10.12-release~64bit (-release 64bit)\n");
    }

    /** One accepted client. */
    public final class Conn {
        private final Socket socket;
        private final OutputStream out;
        private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
        private volatile boolean authed;
        private volatile boolean logging;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        public synchronized void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        public void send(String s) throws IOException {
            send(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Writes the bytes in pieces cut at the given offsets, flushing and pausing between pieces. */
        public synchronized void sendSplit(byte[] bytes, int... cuts) throws IOException {
            int from = 0;
            for (int cut : cuts) {
                out.write(bytes, from, cut - from);
                out.flush();
                pause(2);
                from = cut;
            }
            out.write(bytes, from, bytes.length - from);
            out.flush();
        }

        /** Closes the socket now (mid-frame if a frame is half sent): a crash or restart. */
        public void drop() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }

        public boolean isClosed() {
            return socket.isClosed();
        }

        /** The next command the client sent, waiting up to the timeout. */
        public Command awaitCommand(Duration timeout) throws InterruptedException {
            Command c = commands.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new AssertionError("no command within " + timeout);
            }
            return c;
        }

        /** The next command starting with the prefix, skipping others (e.g. keep-alive pings). */
        public Command awaitCommand(String prefix, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                Command c = commands.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (c == null) {
                    throw new AssertionError("no command starting with '" + prefix + "' within " + timeout);
                }
                if (c.startsWith(prefix)) {
                    return c;
                }
            }
        }

        public List<Command> drainCommands() {
            List<Command> list = new java.util.ArrayList<>();
            commands.drainTo(list);
            return list;
        }

        private void serve() {
            try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
                send(Replies.authRequest());
                Command cmd;
                while ((cmd = readCommand(in)) != null) {
                    commands.add(cmd);
                    if (authed && silentAfterAuth) {
                        continue;
                    }
                    if (!authed) {
                        if (!authenticate(cmd)) {
                            return;
                        }
                    } else if (!handler.handle(this, cmd) && !standard(cmd)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // client went away
            } finally {
                drop();
            }
        }

        private boolean authenticate(Command cmd) throws IOException {
            if (cmd.startsWith("auth ") && cmd.line().substring(5).equals(password)) {
                authed = true;
                send(Replies.accepted());
                return true;
            }
            if (cmd.startsWith("auth ")) {
                send(Replies.invalidPassword());
                send(Replies.goodbye());
                return false;
            }
            send(Replies.commandNotFound());
            return true;
        }

        /** Returns false when the connection must end. */
        private boolean standard(Command cmd) throws IOException {
            String line = cmd.line();
            if (line.startsWith("exit")) {
                send(Replies.bye());
                send(Replies.goodbye());
                return false;
            } else if (line.startsWith("event ")) {
                String format = line.split(" ")[1];
                send(switch (format) {
                    case "plain" -> Replies.eventPlainEnabled();
                    case "json" -> Replies.eventJsonEnabled();
                    default -> Frames.commandReply("+OK event listener enabled " + format);
                });
            } else if (line.equals("nolog")) {
                send(logging ? Replies.noLog() : Frames.commandReply("-ERR not loging"));
                logging = false;
            } else if (line.startsWith("log")) {
                String level = line.length() > 3 ? line.substring(3).trim() : "DEBUG";
                int n = List.of("CONSOLE", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG")
                        .indexOf(level.toUpperCase());
                if (n < 0 && level.matches("[0-7]")) {
                    n = Integer.parseInt(level);
                }
                if (n < 0) {
                    send(Frames.commandReply("-ERR invalid log level"));
                } else {
                    logging = true;
                    send(switch (level) {
                        case "WARNING" -> Replies.logWarning();
                        case "7" -> Replies.log7();
                        default -> Frames.commandReply("+OK log level " + level + " [" + n + "]");
                    });
                }
            } else if (line.startsWith("api ")) {
                send(apiResponder.apply(line.substring(4)));
            } else if (line.startsWith("bgapi ")) {
                String uuid = cmd.headers().getOrDefault("Job-UUID", UUID.randomUUID().toString());
                sendBgapiReply(uuid);
                send(backgroundJob(uuid, line.substring(6), "+OK " + line.substring(6) + "\n"));
            } else {
                send(Replies.commandNotFound());
            }
            return true;
        }

        /** "~Reply-Text: +OK Job-UUID: %s\nJob-UUID: %s\n\n" after "Content-Type: command/reply\n". */
        public void sendBgapiReply(String uuid) throws IOException {
            send("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + uuid + "\nJob-UUID: " + uuid + "\n\n");
        }
    }

    /** A BACKGROUND_JOB event as api_exec() fires it. */
    public static byte[] backgroundJob(String jobUuid, String commandLine, String output) {
        int sp = commandLine.indexOf(' ');
        List<String[]> h = Frames.pairs(
                "Event-Name", "BACKGROUND_JOB",
                "Core-UUID", "2e505c59-f4e1-428e-803b-02cc8ab1aca3",
                "FreeSWITCH-Hostname", "vm",
                "Event-Date-Local", "2026-11-22 18:00:06",
                "Event-Calling-File", "mod_event_socket.c",
                "Event-Calling-Function", "api_exec",
                "Job-UUID", jobUuid,
                "Job-Command", sp < 0 ? commandLine : commandLine.substring(0, sp));
        if (sp >= 0) {
            h.add(new String[] {"Job-Command-Arg", commandLine.substring(sp + 1)});
        }
        return Frames.eventPlain(h, output);
    }

    /** read_packet(): skip leading line breaks, read to a blank line; first line is the command, then headers. */
    private static Command readCommand(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        int newlines = 0;
        while (true) {
            c = in.read();
            if (c < 0) {
                return null;
            }
            if (buf.size() == 0 && (c == '\n' || c == '\r')) {
                continue;
            }
            if (c == '\n') {
                if (++newlines == 2) {
                    break;
                }
            } else if (c != '\r') {
                newlines = 0;
            }
            buf.write(c);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\r?\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim());
            }
        }
        return new Command(lines[0], headers);
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
