// LegacySmtpServer: a tiny SMTP server with STARTTLS on the JDK's own TLS
// stack (JSSE), for testing mxdoctor against a server that really speaks
// legacy TLS (SSLv3, 3DES, RC4, NULL...) which Debian's OpenSSL cannot serve.
//
// usage: java -Djava.security.properties=FILE LegacySmtpServer \
//          ADDR PORT KEYSTORE.p12 PASSWORD PROTOCOLS SUITES SECONDS
// PROTOCOLS and SUITES are comma-separated JSSE names ("SSLv3,TLSv1",
// "SSL_RSA_WITH_3DES_EDE_CBC_SHA"); "default" keeps the JDK's enabled set.
// Prints "listening ADDR PORT" on stdout when ready; exits after SECONDS or
// on EOF on stdin.  One thread per connection, at most 32 at once.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.*;
import javax.net.ssl.*;

public class LegacySmtpServer {
    static SSLSocketFactory factory;
    static String[] protocols, suites;

    public static void main(String[] a) throws Exception {
        if (a.length != 7) {
            System.err.println("usage: LegacySmtpServer ADDR PORT KEYSTORE PASSWORD PROTOCOLS SUITES SECONDS");
            System.exit(2);
        }
        char[] pw = a[3].toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(a[2])) { ks.load(in, pw); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        factory = ctx.getSocketFactory();
        protocols = a[4].equals("default") ? null : a[4].split(",");
        suites = a[5].equals("default") ? null : a[5].split(",");
        long seconds = Long.parseLong(a[6]);

        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(a[0]), Integer.parseInt(a[1])), 64);

        Thread killer = new Thread(() -> {
            try {
                long end = System.currentTimeMillis() + seconds * 1000;
                while (System.currentTimeMillis() < end) {
                    if (System.in.available() < 0) break;
                    Thread.sleep(200);
                }
            } catch (Exception e) { }
            System.exit(0);
        });
        killer.setDaemon(true);
        killer.start();
        Thread eof = new Thread(() -> {
            try { while (System.in.read() >= 0) { } } catch (IOException e) { }
            System.exit(0);
        });
        eof.setDaemon(true);
        eof.start();

        System.out.println("listening " + a[0] + " " + a[1]);
        System.out.flush();
        Semaphore slots = new Semaphore(32);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        for (;;) {
            Socket s = ss.accept();
            if (!slots.tryAcquire()) {
                try { s.getOutputStream().write("421 too many connections\r\n".getBytes(StandardCharsets.US_ASCII)); } catch (IOException e) { }
                s.close();
                continue;
            }
            pool.execute(() -> {
                try { serve(s); } catch (Exception e) {
                    System.err.println("conn: " + e);
                } finally {
                    try { s.close(); } catch (IOException e) { }
                    slots.release();
                }
            });
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.append((char) c);
            if (b.length() > 1000) throw new IOException("line too long");
        }
        if (c < 0 && b.length() == 0) return null;
        return b.toString();
    }

    static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static void serve(Socket plain) throws IOException {
        plain.setSoTimeout(30000);
        InputStream in = plain.getInputStream();
        OutputStream out = plain.getOutputStream();
        send(out, "220 legacy.lab.test ESMTP\r\n");
        String line;
        while ((line = readLine(in)) != null) {
            String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            if (cmd.equals("EHLO")) {
                send(out, "250-legacy.lab.test\r\n250 STARTTLS\r\n");
            } else if (cmd.equals("HELO")) {
                send(out, "250 legacy.lab.test\r\n");
            } else if (cmd.equals("STAR")) {
                send(out, "220 ready to start TLS\r\n");
                tls(plain);
                return;
            } else if (cmd.equals("QUIT")) {
                send(out, "221 bye\r\n");
                return;
            } else if (cmd.equals("NOOP") || cmd.equals("RSET")) {
                send(out, "250 ok\r\n");
            } else {
                send(out, "502 not implemented\r\n");
            }
        }
    }

    static void tls(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) factory.createSocket(plain,
            plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        s.setUseClientMode(false);
        if (protocols != null) s.setEnabledProtocols(protocols);
        if (suites != null) s.setEnabledCipherSuites(suites);
        s.startHandshake();
        SSLSession ss = s.getSession();
        System.err.println("handshake " + ss.getProtocol() + " " + ss.getCipherSuite());
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        String line;
        while ((line = readLine(in)) != null) {
            String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            if (cmd.equals("EHLO")) {
                send(out, "250-legacy.lab.test\r\n250 8BITMIME\r\n");
            } else if (cmd.equals("HELO")) {
                send(out, "250 legacy.lab.test\r\n");
            } else if (cmd.equals("QUIT")) {
                send(out, "221 bye\r\n");
                break;
            } else if (cmd.equals("NOOP") || cmd.equals("RSET")) {
                send(out, "250 ok\r\n");
            } else {
                send(out, "502 not implemented\r\n");
            }
        }
        s.close();
    }
}
