package kv.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The inflight ring buffer behaves like a bounded FIFO of increasing indexes. */
class InflightsPropertyTest {

    @Property(tries = 300)
    void behavesLikeABoundedQueue(@ForAll @IntRange(min = 1, max = 8) int capacity,
                                  @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> ops) {
        Inflights in = new Inflights(capacity);
        ArrayDeque<Long> model = new ArrayDeque<>();
        long next = 1;
        for (int op : ops) {
            switch (op) {
                case 0, 1 -> {
                    if (model.size() < capacity) {
                        in.add(next);
                        model.addLast(next);
                        next += 1 + op;
                    }
                }
                case 2 -> {
                    long to = model.isEmpty() ? next : model.peekFirst() + (next - model.peekFirst()) / 2;
                    in.freeLE(to);
                    model.removeIf(i -> i <= to);
                }
                default -> {
                    in.freeFirstOne();
                    model.pollFirst();
                }
            }
            assertEquals(model.size(), in.count());
            assertEquals(model.size() == capacity, in.full());
        }
    }
}
