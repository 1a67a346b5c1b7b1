package io.github.llmbridge.core.check;

import io.github.llmbridge.core.internal.DaemonThreads;
import io.github.llmbridge.core.internal.LibraryVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The blocking network probes of a connection check, one layer each: name lookup, TCP connect, a
 * proxy's {@code CONNECT} tunnel, and the TLS handshake. Each takes a time limit and throws the
 * JDK's own exception, which the check turns into a step with a fix.
 */
final class NetworkProbe {

    private static final DaemonThreads THREADS = new DaemonThreads("check-dns");

    private NetworkProbe() {}

    /**
     * Resolves a host name, giving up after the time limit (the JDK's own lookup has none).
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws TimeoutException     when the lookup takes longer than the limit
     */
    static InetAddress[] resolve(String host, Duration timeout)
            throws UnknownHostException, TimeoutException, InterruptedException {
        FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> InetAddress.getAllByName(host));
        THREADS.newThread(lookup).start();
        try {
            return lookup.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host + ": " + e.getCause());
        }
    }

    /** Opens a TCP connection to the address, within the time limit. */
    static Socket connect(InetAddress address, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), millis(timeout));
            socket.setSoTimeout(millis(timeout));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Asks a proxy, over an open connection, to open a tunnel to {@code host:port}, and returns
     * its status line's code (200 when the tunnel is open).
     *
     * @param proxyAuthorization the {@code Proxy-Authorization} value, or {@code null}
     */
    static int openTunnel(Socket toProxy, String host, int port, String proxyAuthorization, Duration timeout)
            throws IOException {
        toProxy.setSoTimeout(millis(timeout));
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        String request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + (proxyAuthorization == null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
                + "User-Agent: " + LibraryVersion.USER_AGENT + "\r\n\r\n";
        OutputStream out = toProxy.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = readLine(toProxy.getInputStream());
        String[] parts = statusLine.split(" ", 3); // version, status code, reason phrase (which may hold spaces)
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("the proxy did not answer CONNECT with an HTTP status line: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the proxy answered CONNECT with '" + statusLine + "'", e);
        }
        while (!readLine(toProxy.getInputStream()).isEmpty()) {
            // skip the headers; the tunnel starts after the empty line
        }
        return status;
    }

    /**
     * Runs a TLS handshake with {@code host} over an open connection (direct, or a proxy tunnel),
     * checking the certificate and host name as the HTTP client does, and returns the protocol.
     */
    static String handshake(Socket socket, String host, int port, Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
        SSLSocket tls =
                (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        String protocol = tls.getSession().getProtocol();
        tls.close();
        return protocol;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > 8192) {
                throw new IOException("the proxy's answer to CONNECT has a line longer than 8 KiB");
            }
        }
        if (c < 0 && line.length() == 0) {
            throw new IOException("the proxy closed the connection without answering CONNECT");
        }
        return line.toString();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
