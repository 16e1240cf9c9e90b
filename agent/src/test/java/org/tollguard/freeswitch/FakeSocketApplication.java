package org.tollguard.freeswitch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollguard.freeswitch.esl.Captures;
import org.tollguard.freeswitch.esl.Frames;

/**
 * FreeSWITCH's {@code socket} application in synchronous, single-channel mode, as mod_event_socket 1.10.12 runs it,
 * answering with the frames a real one sent (../shared/freeswitch/outbound-socket):
 * <ul>
 * <li>{@code connect}: the channel data of the captured allowed call (one header block, no Content-Length);</li>
 * <li>{@code sendmsg} with {@code call-command: execute} runs the application at once ({@code set} sets a
 *     variable), {@code call-command: hangup} hangs up with {@code hangup-cause}; reply {@code +OK};</li>
 * <li>{@code exit}: {@code +OK bye}, then the disconnect notice, then close; the channel goes on with the
 *     dialplan;</li>
 * <li>once the channel is down, the next pass of the loop sends the disconnect notice and closes;</li>
 * <li>anything else ({@code linger}, {@code api}, {@code event}...): {@code -ERR command not found} (outbound and
 *     not {@code full}).</li>
 * </ul>
 */
final class FakeSocketApplication {
    /** The captured call (outbound-socket/allow: 1001 from 198.51.100.102 dialling 0201234567). */
    static final String UUID = "29c434b0-e044-40be-82e3-e765c3a59846";
    private static final String ALLOW = "outbound-socket/allow/";
    private static final String DENY = "outbound-socket/deny/";

    /** What happened to the channel. */
    record Outcome(List<String> commands, String bytesReceived, Map<String, String> variables, String hangupCause,
                   boolean closedByAgent) {
        boolean channelUp() {
            return hangupCause == null;
        }
    }

    private FakeSocketApplication() {}

    /** The captured reply to {@code connect}: the channel data of the allowed call, bytes untouched. */
    static byte[] channelData() {
        return Captures.bytes(ALLOW + "001-connect-reply-CHANNEL_DATA.txt");
    }

    /** The same with extra {@code [name, value]} headers (plain values, URL-encoded here) among the variables. */
    static byte[] channelData(List<String[]> extra) {
        String data = new String(channelData(), StandardCharsets.UTF_8);
        int at = data.indexOf("\nContent-Type: command/reply\n") + 1;
        StringBuilder more = new StringBuilder();
        for (String[] e : extra) {
            more.append(e[0]).append(": ").append(Frames.fsUrlEncode(e[1])).append('\n');
        }
        return (data.substring(0, at) + more + data.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    /** Runs one call through the agent at {@code port}; returns when the socket application would return. */
    static Outcome run(int port, byte[] channelData) throws IOException {
        List<String> commands = new ArrayList<>();
        Map<String, String> variables = new LinkedHashMap<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String hangupCause = null;
        boolean closedByAgent = false;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                if (hangupCause != null) {
                    disconnect(out);
                    break;
                }
                List<String> lines = readCommand(in, received);
                if (lines == null) {
                    closedByAgent = true;
                    break;
                }
                String cmd = lines.get(0);
                commands.add(cmd);
                Map<String, String> h = headers(lines);
                if (cmd.startsWith("connect")) {
                    out.write(channelData);
                } else if (cmd.startsWith("sendmsg")) {
                    String command = h.getOrDefault("call-command", "");
                    if (command.equals("execute") && "set".equals(h.get("execute-app-name"))) {
                        String arg = h.getOrDefault("execute-app-arg", "");
                        int eq = arg.indexOf('=');
                        variables.put(arg.substring(0, eq), arg.substring(eq + 1));
                    } else if (command.equals("hangup")) {
                        hangupCause = h.getOrDefault("hangup-cause", "NORMAL_CLEARING");
                    }
                    out.write(Captures.bytes(ALLOW + "002-command-reply-OK.txt"));
                } else if (cmd.startsWith("exit")) {
                    out.write(Captures.bytes(ALLOW + "003-command-reply-OK_bye.txt"));
                    disconnect(out);
                    break;
                } else {
                    out.write(Captures.bytes(DENY + "003-command-reply-ERR_command_not_found.txt"));
                }
            }
        }
        return new Outcome(commands, received.toString(StandardCharsets.UTF_8), variables, hangupCause, closedByAgent);
    }

    /** send_disconnect() with a session (the captured notice, naming the captured call). */
    private static void disconnect(OutputStream out) throws IOException {
        try {
            out.write(Captures.bytes(ALLOW + "004-text-disconnect-notice.txt"));
            out.flush();
        } catch (IOException e) {
            // the agent is gone already
        }
    }

    /** read_packet(): leading line breaks skipped, lines up to a blank line. */
    private static List<String> readCommand(InputStream in, ByteArrayOutputStream copy) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int newlines = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            copy.write(c);
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
        return List.of(buf.toString(StandardCharsets.UTF_8).split("\r?\n"));
    }

    private static Map<String, String> headers(List<String> lines) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String value = line.substring(colon + 1);
                while (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                h.put(line.substring(0, colon), value);
            }
        }
        return h;
    }
}
