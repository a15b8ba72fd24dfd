package kv.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress indicator on standard error while a long call runs (snapshot save, defrag):
 * bytes so far when known, otherwise a spinner and the elapsed time. Drawn only on a terminal, so
 * pipes and scripts see etcdctl's exact output. Updated from any thread; closed by its creator.
 */
final class Progress implements AutoCloseable {
    private static final String SPIN = "|/-\\";

    private final PrintStream err;
    private final String label;
    private final AtomicLong bytes = new AtomicLong(-1);
    private final long start = System.nanoTime();
    private final Thread painter;

    private Progress(PrintStream err, String label, boolean enabled) {
        this.err = err;
        this.label = label;
        this.painter = enabled ? Thread.ofPlatform().daemon().name("kvctl-progress").start(this::paintLoop) : null;
    }

    /** Starts drawing if {@code session} has a terminal; otherwise does nothing. */
    static Progress start(Session session, String label) {
        return new Progress(session.err(), label, session.terminal());
    }

    /** Records how many bytes have arrived. */
    void bytes(long total) {
        bytes.set(total);
    }

    private void paintLoop() {
        for (int tick = 0; !Thread.currentThread().isInterrupted(); tick++) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            long b = bytes.get();
            String what = b >= 0 ? kv.cli.output.GoText.humanBytes(b) : "";
            err.print("\r" + label + " " + SPIN.charAt(tick % 4) + " " + what + " (" + ms / 1000 + "." + ms % 1000 / 100 + "s)  ");
            err.flush();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (painter != null) {
            painter.interrupt();
            try {
                painter.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r\033[K");
            err.flush();
        }
    }
}
