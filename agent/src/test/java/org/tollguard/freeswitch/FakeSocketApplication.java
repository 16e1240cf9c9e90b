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
import org.tollguard.freeswitch.esl.Frames;

/**
 * FreeSWITCH's {@code socket} application in synchronous, single-channel mode, as mod_event_socket 1.10.12 runs it:
 * connects, then serves the agent's commands on the channel's thread ({@code listener_run} with a session):
 * <ul>
 * <li>{@code connect}: the CHANNEL_DATA event serialised with {@code switch_event_serialize(..., SWITCH_TRUE)}
 *     (values URL-encoded, {@code Content-Type: command/reply}, {@code Reply-Text: %2BOK%0A},
 *     {@code Socket-Mode: static}, {@code Control: single-channel} appended), no Content-Length, a blank line;</li>
 * <li>{@code sendmsg} with {@code call-command: execute} runs the application at once ({@code set} sets a
 *     variable), {@code call-command: hangup} hangs up with {@code hangup-cause}; reply {@code +OK};</li>
 * <li>{@code exit}: {@code +OK bye}, then the disconnect notice, then close; the channel goes on with the
 *     dialplan;</li>
 * <li>once the channel is down, the next pass of the loop sends the disconnect notice and closes;</li>
 * <li>anything else: {@code -ERR command not found} (outbound and not {@code full}).</li>
 * </ul>
 */
final class FakeSocketApplication {
    static final String UUID = Replay.CALL_UUID;

    /** What happened to the channel. */
    record Outcome(List<String> commands, String bytesReceived, Map<String, String> variables, String hangupCause,
                   boolean closedByAgent) {
        boolean channelUp() {
            return hangupCause == null;
        }
    }

    private FakeSocketApplication() {}

    /** The channel data of the captured SIP call (raw-call-sip) at the time the dialplan runs {@code socket}. */
    static byte[] channelData() {
        return channelData(List.of());
    }

    /** The same with extra {@code [name, value]} headers (plain values) among the variables. */
    static byte[] channelData(List<String[]> extra) {
        List<String[]> created = Frames.rawInnerHeaders(Replay.capture(Replay.CALL_CREATE));
        List<String[]> out = new ArrayList<>();
        int firstChannelHeader = -1;
        for (String[] h : created) {
            String name = h[0];
            String value = h[1];
            switch (name) {
                case "Event-Name" -> value = "CHANNEL_DATA";
                case "Event-Calling-File" -> value = "mod_event_socket.c";
                case "Event-Calling-Function" -> value = "parse_command";
                case "Channel-State" -> value = "CS_EXECUTE";
                case "Channel-State-Number" -> value = "4";
                case "Channel-Call-State" -> value = "RINGING";
                default -> { }
            }
            if (name.equals("Channel-State")) {
                firstChannelHeader = out.size();
            }
            out.add(new String[] {name, value});
        }
        // switch_caller_profile_event_set_data(profile, "Channel", ...) comes before the channel's own data
        List<String[]> profile = new ArrayList<>();
        for (String[] h : created) {
            if (h[0].startsWith("Caller-")) {
                profile.add(new String[] {"Channel-" + h[0].substring(7), h[1]});
            }
        }
        out.addAll(firstChannelHeader, profile);
        for (String[] e : extra) {
            out.add(new String[] {e[0], Frames.fsUrlEncode(e[1])});
        }
        out.add(new String[] {"Content-Type", "command/reply"});
        out.add(new String[] {"Reply-Text", Frames.fsUrlEncode("+OK\n")});
        out.add(new String[] {"Socket-Mode", "static"});
        out.add(new String[] {"Control", "single-channel"});
        StringBuilder b = new StringBuilder();
        for (String[] h : out) {
            b.append(h[0]).append(": ").append(h[1]).append('\n');
        }
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
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
                    reply(out, "+OK");
                } else if (cmd.startsWith("exit")) {
                    reply(out, "+OK bye");
                    disconnect(out);
                    break;
                } else {
                    reply(out, "-ERR command not found");
                }
            }
        }
        return new Outcome(commands, received.toString(StandardCharsets.UTF_8), variables, hangupCause, closedByAgent);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write(("Content-Type: command/reply\nReply-Text: " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** send_disconnect() with a session. */
    private static void disconnect(OutputStream out) throws IOException {
        String message = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";
        String head = "Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + UUID
                + "\nContent-Disposition: disconnect\nContent-Length: " + message.length() + "\n\n";
        try {
            out.write((head + message).getBytes(StandardCharsets.UTF_8));
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
