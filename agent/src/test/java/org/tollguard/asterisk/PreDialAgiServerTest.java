package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollguard.config.CallsConfig;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialRequest;

/** The FastAGI exchange as Asterisk sees it: the request, then the agent's commands, over a real socket. */
class PreDialAgiServerTest {
    private PreDialAgiServer server;
    private final AtomicReference<PreDialRequest> asked = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(PreDialAnswer answer) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new PreDialAgiServer(new CallsConfig.PreDial("127.0.0.1", port, Duration.ofMillis(500)), r -> {
            asked.set(r);
            return answer;
        });
        return port;
    }

    /** Plays Asterisk: sends the AGI environment, answers each command with {@code reply}, returns the commands. */
    private static List<String> exchange(int port, String reply) throws Exception {
        Socket socket = null;
        for (int i = 0; i < 100 && socket == null; i++) {
            try {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (java.net.ConnectException e) {
                Thread.sleep(20); // the server thread is still binding
            }
        }
        try (Socket s = socket) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("""
                    agi_network: yes
                    agi_network_script: predial
                    agi_request: agi://127.0.0.1:%d/predial
                    agi_channel: PJSIP/1001-00000007
                    agi_language: en
                    agi_type: PJSIP
                    agi_uniqueid: tg-pbx-1700000000.7
                    agi_version: 22.0.0
                    agi_callerid: 1001
                    agi_calleridname: Phone 1001
                    agi_context: from-phones
                    agi_extension: 09061234567
                    agi_priority: 4
                    agi_enhanced: 0.0
                    agi_accountcode: 1001
                    agi_threadid: 140000000000
                    agi_arg_1: 09061234567
                    agi_arg_2: 198.51.100.20:5060

                    """).formatted(port).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> commands = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                out.write((reply + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return commands;
        }
    }

    @Test
    void answersWithOneMSetAndNothingElse() throws Exception {
        int port = start(PreDialAnswer.deny("national-amusement is blocked for 1001, \"really\" (a \\ b) [c]", 21));
        List<String> commands = exchange(port, "200 result=0");
        // asterisk-java quotes the argument and doubles backslashes; Asterisk's AGI parser undoes that
        assertEquals(List.of("EXEC \"MSet\" \"TOLLGUARD_RESULT=DENY,TOLLGUARD_REASON=national-amusement is blocked for 1001\\\\,"
                + " 'really' \\\\(a \\\\\\\\ b\\\\) \\\\[c\\\\],TOLLGUARD_CAUSE=21\""), commands);
        assertEquals("1001", asked.get().account());
        assertEquals("09061234567", asked.get().destination());
        assertEquals("198.51.100.20", asked.get().source().getHostAddress());
        assertEquals("tg-pbx-1700000000.7", asked.get().callId());
    }

    @Test
    void withoutMSetTheVariablesAreSetOneByOne() throws Exception {
        int port = start(PreDialAnswer.allow("allowed"));
        List<String> commands = exchange(port, "200 result=-2");
        assertEquals(List.of("EXEC \"MSet\" \"TOLLGUARD_RESULT=ALLOW,TOLLGUARD_REASON=allowed,TOLLGUARD_CAUSE=0\"",
                "SET VARIABLE \"TOLLGUARD_RESULT\" \"ALLOW\"", "SET VARIABLE \"TOLLGUARD_REASON\" \"allowed\"",
                "SET VARIABLE \"TOLLGUARD_CAUSE\" \"0\""), commands);
    }

    @Test
    void aPortInUseFailsTheStartWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> new PreDialAgiServer(new CallsConfig.PreDial("127.0.0.1", port, Duration.ofMillis(500)),
                            r -> PreDialAnswer.allow("x")));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port),
                    e.getMessage());
        }
    }

    @Test
    void msetValueEscapesWhatItsParserWouldEat() {
        assertEquals("a\\, b \\(c\\) \\[d\\] \\\\ \\\"", PreDialAgiServer.Script.msetValue("a, b (c) [d] \\ \""));
        assertEquals("allowed", PreDialAgiServer.Script.msetValue("allowed"));
    }
}
