package kv.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out loopback ports for servers a test starts in another process.
 *
 * <p>A port taken by binding port 0 comes from the kernel's ephemeral range, the same range outgoing
 * connections draw from: between the moment the test closes its probe socket and the moment etcd or
 * kvd binds the port, any client connection on the machine may take it ("bind: address already in
 * use", seen in CI). So ports come from below the ephemeral range (20000-32767), where no outgoing
 * connection lands, each one handed out once per JVM, starting at an offset taken from the process
 * id so that two test JVMs started together walk different stretches; a port is handed out only
 * when it can be bound right now.
 */
public final class Ports {
    private static final int LOW = 20000;
    private static final int HIGH = 32767;
    private static final int SPAN = HIGH - LOW + 1;
    private static final AtomicInteger NEXT = new AtomicInteger((int) ((ProcessHandle.current().pid() * 7919L) % SPAN));

    private Ports() {
    }

    /** A loopback port nobody listens on now and that this JVM has not handed out before. */
    public static int free() throws IOException {
        for (int tries = 0; tries < SPAN; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), SPAN);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IOException("no free loopback port in " + LOW + "-" + HIGH);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
