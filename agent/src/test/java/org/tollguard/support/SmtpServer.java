package org.tollguard.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small SMTP server on 127.0.0.1 for tests: EHLO, STARTTLS (with a self-signed certificate made by the JDK's
 * keytool), AUTH LOGIN and PLAIN (offered only over TLS when TLS is on), MAIL, RCPT, DATA, RSET, NOOP, QUIT.
 * It records each message with whether it arrived over TLS and with which credentials.
 */
public final class SmtpServer implements AutoCloseable {
    /** One message as received. */
    public record Mail(String from, List<String> to, String data, boolean tls, String tlsProtocol, String user,
                       String password) {}

    private final ServerSocket socket;
    private final SSLContext tls;
    private final List<Mail> mails = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** {@code tls} null: STARTTLS is not offered. */
    public SmtpServer(SSLContext tls) throws IOException {
        this.tls = tls;
        this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "test-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<Mail> mails() {
        return new ArrayList<>(mails);
    }

    /** Every command line received, over all sessions (AUTH arguments included as sent). */
    public List<String> commands() {
        return new ArrayList<>(commands);
    }

    public List<Mail> await(int n, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (mails.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return mails();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> session(s), "test-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void session(Socket plain) {
        Socket s = plain;
        boolean secured = false;
        String protocol = null;
        String user = null;
        String password = null;
        String from = null;
        List<String> to = new ArrayList<>();
        try {
            BufferedReader in = reader(s.getInputStream());
            OutputStream out = s.getOutputStream();
            send(out, "220 localhost ESMTP tollguard-test");
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    List<String> caps = new ArrayList<>(List.of("localhost", "8BITMIME", "SIZE 10485760"));
                    if (tls != null && !secured) {
                        caps.add("STARTTLS");
                    } else {
                        caps.add("AUTH LOGIN PLAIN");
                    }
                    for (int i = 0; i < caps.size(); i++) {
                        send(out, "250" + (i == caps.size() - 1 ? " " : "-") + caps.get(i));
                    }
                } else if (upper.startsWith("HELO")) {
                    send(out, "250 localhost");
                } else if (upper.equals("STARTTLS") && tls != null && !secured) {
                    send(out, "220 2.0.0 ready to start TLS");
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", s.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    protocol = ssl.getSession().getProtocol();
                    s = ssl;
                    secured = true;
                    in = reader(s.getInputStream());
                    out = s.getOutputStream();
                } else if (upper.startsWith("AUTH LOGIN")) {
                    send(out, "334 VXNlcm5hbWU6");
                    user = decode(in.readLine());
                    send(out, "334 UGFzc3dvcmQ6");
                    password = decode(in.readLine());
                    send(out, "235 2.7.0 authenticated");
                } else if (upper.startsWith("AUTH PLAIN")) {
                    String arg = line.length() > 10 ? line.substring(10).strip() : "";
                    if (arg.isEmpty()) {
                        send(out, "334 ");
                        arg = in.readLine();
                    }
                    String[] parts = decode(arg).split("\0", -1);
                    user = parts[1];
                    password = parts[2];
                    send(out, "235 2.7.0 authenticated");
                } else if (upper.startsWith("MAIL FROM:")) {
                    from = line.substring(10).replaceAll("[<>]", "").replaceAll(" .*", "").strip();
                    to.clear();
                    send(out, "250 2.1.0 ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    to.add(line.substring(8).replaceAll("[<>]", "").strip());
                    send(out, "250 2.1.5 ok");
                } else if (upper.equals("DATA")) {
                    send(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    String l;
                    while ((l = in.readLine()) != null && !l.equals(".")) {
                        data.append(l.startsWith("..") ? l.substring(1) : l).append('\n');
                    }
                    mails.add(new Mail(from, List.copyOf(to), data.toString(), secured, protocol, user, password));
                    send(out, "250 2.0.0 queued");
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    send(out, "250 2.0.0 ok");
                } else if (upper.equals("QUIT")) {
                    send(out, "221 2.0.0 bye");
                    break;
                } else {
                    send(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away or the handshake failed: the session is over
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, made by keytool: the server's and the client's side. */
    public record Tls(SSLContext server, SSLSocketFactory clientTrustingIt) {
        public static Tls selfSigned(Path dir) throws Exception {
            Path store = dir.resolve("smtp.p12");
            Files.deleteIfExists(store);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            char[] pass = "changeit".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, pass);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pass);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            Certificate cert = keys.getCertificate("smtp");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("smtp", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new Tls(server, client.getSocketFactory());
        }
    }
}
