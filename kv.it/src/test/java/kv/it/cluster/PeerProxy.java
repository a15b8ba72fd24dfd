package kv.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The fault layer for partitions: one TCP proxy per member in front of its peer port. Member j
 * listens for peers on its own port but advertises {@link #port(int) the proxy's port}, so every peer
 * connection to j passes through here. On accept the proxy finds which member opened the connection
 * (the connecting socket's inode in /proc/net/tcp{,6}, then the member process holding that inode in
 * /proc/PID/fd), so a directed link "connections opened by i to j" can be cut.
 *
 * <p>A cut closes the live connections across it and closes new ones right after accepting them, as
 * a dropping firewall would look to the peers (they see resets and retry). Connections whose opener
 * cannot be identified are let through unless a cut is in force; they are counted.
 *
 * <p>Thread-safe: cuts may change while traffic flows. Owns its listening sockets and pump threads
 * (virtual threads); {@link #close()} stops them all.
 */
final class PeerProxy implements AutoCloseable {
    /** What happened to connections, for the test's figures. */
    enum Counter { ACCEPTED, IDENTIFIED, UNIDENTIFIED, REFUSED, CUT }

    private final int members;
    private final IntFunction<List<ProcessHandle>> processes;
    private final ServerSocket[] listeners;
    private final int[] targets;
    /** Directed cuts as from * members + to. */
    private final Set<Integer> cuts = ConcurrentHashMap.newKeySet();
    private final Set<Link> live = ConcurrentHashMap.newKeySet();
    private final Map<Counter, AtomicLong> counters = new EnumMap<>(Counter.class);
    private volatile boolean closed;

    /**
     * Binds one listening port per member on loopback.
     *
     * @param targets   the peer port each member really listens on
     * @param processes the processes of member i right now (a member's process changes when it restarts)
     */
    PeerProxy(int[] targets, IntFunction<List<ProcessHandle>> processes) throws IOException {
        this.members = targets.length;
        this.targets = targets.clone();
        this.processes = processes;
        this.listeners = new ServerSocket[members];
        for (Counter c : Counter.values()) {
            counters.put(c, new AtomicLong());
        }
        for (int j = 0; j < members; j++) {
            listeners[j] = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            int to = j;
            Thread.ofVirtual().name("peer-proxy-accept-" + j).start(() -> acceptLoop(to));
        }
    }

    /** The port peers use to reach member {@code j} (what it advertises). */
    int port(int j) {
        return listeners[j].getLocalPort();
    }

    /** Cuts every link between the two sides, both directions. */
    void partition(Set<Integer> a, Set<Integer> b) {
        for (int i : a) {
            for (int j : b) {
                if (i != j) {
                    cut(i, j);
                    cut(j, i);
                }
            }
        }
    }

    /** Cuts member {@code i} off from every other member. */
    void isolate(int i) {
        Set<Integer> others = new HashSet<>();
        for (int j = 0; j < members; j++) {
            if (j != i) {
                others.add(j);
            }
        }
        partition(Set.of(i), others);
    }

    /** Cuts the connections member {@code from} opens to member {@code to}, live and new. */
    void cut(int from, int to) {
        cuts.add(from * members + to);
        for (Link link : live) {
            if (link.from == from && link.to == to) {
                counters.get(Counter.CUT).incrementAndGet();
                link.close();
            }
        }
    }

    /** Lifts every cut. */
    void heal() {
        cuts.clear();
    }

    /** Whether any cut is in force. */
    boolean partitioned() {
        return !cuts.isEmpty();
    }

    long count(Counter c) {
        return counters.get(c).get();
    }

    /** Connections now open from member {@code from} to member {@code to}. */
    long liveConnections(int from, int to) {
        return live.stream().filter(l -> l.from == from && l.to == to).count();
    }

    private void acceptLoop(int to) {
        while (!closed) {
            Socket in;
            try {
                in = listeners[to].accept();
            } catch (IOException e) {
                return; // closed
            }
            counters.get(Counter.ACCEPTED).incrementAndGet();
            Thread.ofVirtual().name("peer-proxy-conn-" + to).start(() -> admit(in, to));
        }
    }

    private void admit(Socket in, int to) {
        OptionalInt from = identify(in.getPort(), port(to));
        counters.get(from.isPresent() ? Counter.IDENTIFIED : Counter.UNIDENTIFIED).incrementAndGet();
        boolean blocked = from.isPresent() ? cuts.contains(from.getAsInt() * members + to) : partitioned();
        if (blocked || closed) {
            counters.get(Counter.REFUSED).incrementAndGet();
            closeQuietly(in);
            return;
        }
        Socket out = new Socket();
        try {
            out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targets[to]), 2000);
        } catch (IOException e) {
            closeQuietly(in); // the member is down: the peer sees the connection drop, as it would without us
            closeQuietly(out);
            return;
        }
        Link link = new Link(from.orElse(-1), to, in, out);
        live.add(link);
        // a cut may have come in between the check above and the registration
        if (from.isPresent() && cuts.contains(from.getAsInt() * members + to)) {
            link.close();
            return;
        }
        Thread.ofVirtual().start(() -> pump(link, in, out));
        pump(link, out, in);
    }

    private void pump(Link link, Socket src, Socket dst) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream is = src.getInputStream(); OutputStream os = dst.getOutputStream()) {
            for (int n; (n = is.read(buf)) >= 0; ) {
                os.write(buf, 0, n);
            }
        } catch (IOException e) {
            // reset or closed by a cut: the link is over either way
        } finally {
            link.close();
        }
    }

    /**
     * The member whose process owns the loopback socket with local port {@code port} connected to
     * {@code remotePort}. The connecting socket is registered before connect() returns on the other
     * side, so a miss means the opener is not one of the members (or has just died).
     */
    OptionalInt identify(int port, int remotePort) {
        long inode = inodeOf(port, remotePort);
        if (inode <= 0) {
            return OptionalInt.empty();
        }
        String target = "socket:[" + inode + "]";
        // a member that has just been launched may connect before the runner has recorded its process
        for (int attempt = 0; attempt < 20; attempt++) {
            for (int m = 0; m < members; m++) {
                for (ProcessHandle p : processes.apply(m)) {
                    if (holds(p.pid(), target)) {
                        return OptionalInt.of(m);
                    }
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return OptionalInt.empty();
    }

    /** The inode of the TCP socket with this local and remote port, or -1. */
    static long inodeOf(int localPort, int remotePort) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && portOf(f[1]) == localPort && portOf(f[2]) == remotePort) {
                    return Long.parseLong(f[9]);
                }
            }
        }
        return -1;
    }

    private static int portOf(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }

    private static boolean holds(long pid, String socketLink) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socketLink);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false;
                }
            });
        } catch (IOException gone) {
            return false;
        }
    }

    /** The processes of a started process tree: the launcher and what it started. */
    static List<ProcessHandle> tree(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p.toHandle());
        p.descendants().forEach(all::add);
        return all;
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket s : listeners) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
        live.forEach(Link::close);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do: we are dropping it
        }
    }

    /** One proxied connection: opener {@code from} (-1 if unknown) to member {@code to}. */
    private final class Link {
        final int from;
        final int to;
        final Socket in;
        final Socket out;

        Link(int from, int to, Socket in, Socket out) {
            this.from = from;
            this.to = to;
            this.in = in;
            this.out = out;
        }

        void close() {
            live.remove(this);
            try {
                in.setSoLinger(true, 0); // a reset, as a dropped link looks to both ends
            } catch (SocketException ignored) {
                // already closed
            }
            closeQuietly(in);
            closeQuietly(out);
        }
    }
}
