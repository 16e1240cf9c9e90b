package org.tollguard.asterisk;

import java.io.IOException;
import java.net.InetAddress;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.BaseAgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.StaticMappingStrategy;
import org.asteriskjava.fastagi.internal.AgiChannelImpl;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.internal.ServerSocketFacadeImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.CallsConfig;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialCheck;
import org.tollguard.pbx.PreDialRequest;

/**
 * The FastAGI server the dialplan include ({@code asterisk-conf/extensions_tollguard.conf}) asks before
 * {@code Dial}: {@code AGI(agi://HOST:4573/predial,DESTINATION,REMOTE_ADDR)}. It answers with channel variables
 * {@code TOLLGUARD_RESULT} (ALLOW or DENY), {@code TOLLGUARD_REASON} and {@code TOLLGUARD_CAUSE}.
 *
 * <p>Every round trip to Asterisk is time the caller waits for, so the answer is one AGI command: {@code EXEC MSet}
 * with the three variables (three {@code SET VARIABLE}s only if the PBX has no MSet), and asterisk-java's own
 * status variable ({@code AJ_AGISTATUS}, one more round trip after every script, read by nobody) is not set.
 */
public final class PreDialAgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PreDialAgiServer.class);

    private final DefaultAgiServer server;
    private final Thread thread;

    /** Binds the port here, so a port in use fails the agent's start-up rather than every call's check. */
    public PreDialAgiServer(CallsConfig.PreDial config, PreDialCheck check) throws IOException {
        InetAddress address = InetAddress.getByName(config.listen());
        ServerSocketFacade socket;
        try {
            socket = new ServerSocketFacadeImpl(config.port(), 0, address);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + config.listen() + ":" + config.port() + " (" + e.getMessage()
                    + "; is another program or a second agent using the port? set calls.pre-dial.port)", e);
        }
        server = new DefaultAgiServer(null, new StaticMappingStrategy(new Script(check)), QuietChannel::new) {
            @Override
            protected ServerSocketFacade createServerSocket() {
                return socket;
            }
        };
        server.setAddress(address);
        server.setPort(config.port());
        thread = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException | IllegalStateException e) {
                log.error("pre-dial server stopped address={} port={} error=\"{}\"", config.listen(), config.port(), e.getMessage());
            }
        }, "agi-server");
        thread.setDaemon(true);
        thread.start();
        log.info("pre-dial agi server listening address={} port={}", config.listen(), config.port());
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IllegalStateException ignored) {
            // never started
        }
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** One pre-dial check. Arguments: the dialled number, then the caller's signalling address. */
    static final class Script extends BaseAgiScript {
        private final PreDialCheck check;

        Script(PreDialCheck check) {
            this.check = check;
        }

        @Override
        public void service(AgiRequest request, AgiChannel channel) throws AgiException {
            long t0 = System.nanoTime();
            String[] args = request.getArguments();
            String destination = args.length > 0 && !args[0].isBlank() ? args[0] : request.getExtension();
            InetAddress source = args.length > 1 ? AmiCallTracker.parseRemoteAddr(args[1]) : null;
            PreDialRequest r = new PreDialRequest(request.getUniqueId(),
                    AsteriskAccounts.of(request.getAccountCode(), request.getChannel()), request.getCallerIdNumber(),
                    destination, source);
            PreDialAnswer answer = check.check(r);
            long checked = System.nanoTime();
            answer(channel, answer);
            long done = System.nanoTime();
            log.info("pre-dial call={} account={} destination={} source={} result={} reason=\"{}\" check-ms={} ms={}",
                    r.callId(), r.account(), destination, source == null ? "-" : IpAddresses.format(source),
                    answer.allowed() ? "allow" : "deny", answer.reason(), millis(checked - t0), millis(done - t0));
        }

        /** Sets the three variables in one round trip. */
        static void answer(AgiChannel channel, PreDialAnswer answer) throws AgiException {
            String result = answer.allowed() ? "ALLOW" : "DENY";
            String reason = answer.reason().replace('"', '\'');
            String cause = String.valueOf(answer.cause());
            int status = channel.exec("MSet", "TOLLGUARD_RESULT=" + result, "TOLLGUARD_REASON=" + msetValue(reason),
                    "TOLLGUARD_CAUSE=" + cause);
            if (status == -2) { // no such application (Asterisk before 13.8)
                channel.setVariable("TOLLGUARD_RESULT", result);
                channel.setVariable("TOLLGUARD_REASON", reason);
                channel.setVariable("TOLLGUARD_CAUSE", cause);
            }
        }

        /**
         * A value as MSet's argument parser gives it back literally: it splits on commas outside parentheses,
         * brackets and quotes, drops quotes, and takes a backslash as "the next character is literal".
         */
        static String msetValue(String value) {
            StringBuilder b = new StringBuilder(value.length() + 8);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ("\\\",()[]".indexOf(c) >= 0) {
                    b.append('\\');
                }
                b.append(c);
            }
            return b.toString();
        }
    }

    /** asterisk-java's channel, without its {@code AJ_AGISTATUS} variable: one round trip less per check. */
    static final class QuietChannel extends AgiChannelImpl {
        QuietChannel(AgiRequest request, AgiWriter writer, AgiReader reader) {
            super(request, writer, reader);
        }

        @Override
        public void setVariable(String name, String value) throws AgiException {
            if (!"AJ_AGISTATUS".equals(name)) {
                super.setVariable(name, value);
            }
        }
    }
}
