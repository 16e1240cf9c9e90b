package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.tollguard.config.AsteriskConfig;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.yamlconfig.Secret;

class AmiSecurityStreamTest {
    private static final String EVENT = "Event: InvalidAccountID\r\nPrivilege: security,all\r\nService: PJSIP\r\n"
            + "AccountID: bob\r\nSessionID: 1\r\nLocalAddress: IPV4/UDP/198.51.100.1/5060\r\n"
            + "RemoteAddress: IPV4/UDP/203.0.113.%d/5060\r\n\r\n";

    /** One AMI session at a time: MD5 login, then {@code events} security events and the socket closed. */
    private static final class FakeAmi implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        final List<String> logins = new CopyOnWriteArrayList<>();
        volatile String secret = "s3cret";

        FakeAmi(int sessions, int events) throws IOException {
            Thread t = new Thread(() -> {
                for (int s = 0; s < sessions; s++) {
                    try (Socket c = server.accept()) {
                        session(c, s, events);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void session(Socket c, int session, int events) throws IOException {
            OutputStream out = c.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            out.write("Asterisk Call Manager/11.0.0\r\n".getBytes(StandardCharsets.UTF_8));
            Map<String, String> challenge = action(in);
            out.write(("Response: Success\r\nActionID: " + challenge.get("ActionID") + "\r\nChallenge: 123456\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, String> login = action(in);
            logins.add(login.get("Events"));
            if (!AmiSecurityStream.md5("123456" + secret).equals(login.get("Key"))) {
                out.write("Response: Error\r\nMessage: Authentication failed\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            out.write(("Response: Success\r\nMessage: Authentication accepted\r\n\r\nEvent: Newchannel\r\n"
                    + "Channel: PJSIP/1001-1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < events; i++) {
                out.write(String.format(EVENT, session * 10 + i + 1).getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }

        static Map<String, String> action(BufferedReader in) throws IOException {
            Map<String, String> a = new TreeMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                a.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            return a;
        }

        AsteriskConfig config() {
            return new AsteriskConfig(true, "127.0.0.1", server.getLocalPort(), "tollguard", new Secret("s3cret"),
                    Duration.ofSeconds(2), Duration.ofSeconds(1), null, null, null);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void logsInForSecurityEventsOnlyAndReconnectsWhenAsteriskGoesAway() throws Exception {
        List<PbxEvent> events = new CopyOnWriteArrayList<>();
        List<String> states = new CopyOnWriteArrayList<>();
        try (FakeAmi ami = new FakeAmi(2, 3);
             AmiSecurityStream stream = new AmiSecurityStream(ami.config(), Clock.systemUTC(), events::add,
                     (up, detail) -> states.add(up + " " + detail))) {
            stream.start();
            await(() -> events.size() == 6, "3 events from each of two sessions, got " + events);
            assertEquals(List.of("security", "security"), ami.logins);
            assertEquals("203.0.113.1", ((AuthEvent) events.get(0)).address().getHostAddress());
            assertEquals("203.0.113.13", ((AuthEvent) events.get(5)).address().getHostAddress());
            await(() -> states.size() >= 3, "up, down, up");
            assertEquals("true security events connected", states.get(0));
            assertEquals("false security events: closed by Asterisk", states.get(1));
            assertEquals("true security events connected", states.get(2));
        }
    }

    @Test
    void aRefusedLoginShowsDown() throws Exception {
        List<String> states = new CopyOnWriteArrayList<>();
        try (FakeAmi ami = new FakeAmi(1, 0);
             AmiSecurityStream stream = new AmiSecurityStream(ami.config(), Clock.systemUTC(), e -> { },
                     (up, detail) -> states.add(up + " " + detail))) {
            ami.secret = "other";
            stream.start();
            await(() -> !states.isEmpty(), "a state");
            assertTrue(states.get(0).startsWith("false security events: login refused"), states.toString());
            assertTrue(!stream.isConnected());
        }
    }
}
