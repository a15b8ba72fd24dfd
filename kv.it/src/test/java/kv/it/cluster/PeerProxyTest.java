package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partition proxy on its own: "member 0" is this JVM, "member 1" a bash child that talks through
 * /dev/tcp, "member 2" an echo server behind the proxy. Checks that connections are attributed to
 * the process that opened them, and that cuts close live connections and refuse new ones, per
 * opener, until healed.
 */
class PeerProxyTest {
    private ServerSocket echo;
    private PeerProxy proxy;
    private volatile Process bash;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serveEcho);
        int port = echo.getLocalPort();
        proxy = new PeerProxy(new int[] {port, port, port}, m -> switch (m) {
            case 0 -> List.of(ProcessHandle.current());
            case 1 -> bash == null ? List.of() : PeerProxy.tree(bash);
            default -> List.of();
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (bash != null) {
            bash.destroyForcibly();
        }
        proxy.close();
        echo.close();
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread.ofVirtual().start(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Test
    void attributesConnectionsToTheOpeningProcess() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port(2))) {
            OptionalInt who = proxy.identify(s.getLocalPort(), proxy.port(2));
            assertEquals(OptionalInt.of(0), who, "a socket this JVM opened belongs to member 0");
            assertEquals("hi", roundTrip(s, "hi"));
        }
        assertEquals(OptionalInt.empty(), proxy.identify(1, 2), "no socket has these ports");
    }

    @Test
    void cutClosesLiveConnectionsAndRefusesNewOnesOfThatOpenerOnly() throws Exception {
        try (Socket mine = new Socket(InetAddress.getLoopbackAddress(), proxy.port(2))) {
            assertEquals("a", roundTrip(mine, "a"));
            bash = startBashClient(proxy.port(2));
            BufferedReader fromBash = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ping", fromBash.readLine(), "bash's line went through the proxy and back");
            awaitTrue(() -> proxy.liveConnections(1, 2) == 1, "the proxy attributes bash's connection to member 1");

            proxy.isolate(1);
            assertTrue(bash.waitFor(10, TimeUnit.SECONDS), "isolating member 1 closes its connection, so bash's read ends");
            assertEquals("b", roundTrip(mine, "b"), "member 0's connection is not across the cut");

            proxy.partition(Set.of(0), Set.of(2));
            assertThrows(IOException.class, () -> roundTrip(mine, "c"), "the cut 0-2 closes member 0's live connection");
        }
        try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxy.port(2))) {
            assertThrows(IOException.class, () -> roundTrip(again, "d"), "a new connection across the cut is dropped");
        }
        assertTrue(proxy.count(PeerProxy.Counter.REFUSED) >= 1);
        assertTrue(proxy.count(PeerProxy.Counter.CUT) >= 2);

        proxy.heal();
        try (Socket healed = new Socket(InetAddress.getLoopbackAddress(), proxy.port(2))) {
            assertEquals("e", roundTrip(healed, "e"));
        }
    }

    /** A child process (not this JVM) that sends a line through the proxy, prints the echo, then waits for EOF. */
    private static Process startBashClient(int port) throws IOException {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + port + "; echo ping >&3; read -r line <&3; echo \"$line\"; cat <&3 >/dev/null";
        return new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String roundTrip(Socket s, String msg) throws IOException {
        s.setSoTimeout(5000);
        s.getOutputStream().write((msg + "\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null) {
            throw new IOException("connection closed");
        }
        return line;
    }

    private static void awaitTrue(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(10);
        }
    }
}
