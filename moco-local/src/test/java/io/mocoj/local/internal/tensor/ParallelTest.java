package io.mocoj.local.internal.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared team: every index run exactly once, failures reach the caller, nested and concurrent calls work. */
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 7}) {
            Parallel par = new Parallel(threads);
            for (int n : new int[] {1, 2, 5, 16, 17, 100, 1001}) {
                for (int round = 0; round < 50; round++) {
                    int[] hits = new int[n];
                    par.forRange(n, 1, (from, to) -> {
                        for (int i = from; i < to; i++) hits[i]++;
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits[i], "threads " + threads + ", n " + n + ", index " + i);
                }
            }
        }
    }

    @Test
    void piecesFollowTheThreadCountAndMinimumChunk() {
        AtomicInteger pieces = new AtomicInteger();
        new Parallel(3).forRange(300, 10, (from, to) -> pieces.incrementAndGet());
        assertEquals(3, pieces.get());
        pieces.set(0);
        new Parallel(3).forRange(25, 10, (from, to) -> pieces.incrementAndGet());
        assertEquals(2, pieces.get(), "25 indices in pieces of at least 10");
    }

    @Test
    void aFailingPieceReachesTheCallerAndTheTeamKeepsWorking() {
        Parallel par = new Parallel(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.forRange(100, 1, (from, to) -> {
            if (from > 0) throw new IllegalStateException("piece at " + from);
        }));
        assertEquals("piece at 50", e.getMessage());
        int[] sum = new int[1];
        par.forRange(100, 1, (from, to) -> {
            synchronized (sum) {
                sum[0] += to - from;
            }
        });
        assertEquals(100, sum[0]);
    }

    @Test
    void nestedAndConcurrentCallsComplete() throws Exception {
        Parallel par = new Parallel(2);
        long[] totals = new long[4];
        Thread[] callers = new Thread[totals.length];
        for (int c = 0; c < callers.length; c++) {
            int id = c;
            callers[c] = new Thread(() -> {
                for (int round = 0; round < 200; round++) {
                    AtomicInteger count = new AtomicInteger();
                    // a body that itself splits a range: the inner call must not wait for the busy team
                    par.forRange(8, 1, (from, to) -> {
                        for (int i = from; i < to; i++) par.forRange(10, 1, (f, t) -> count.addAndGet(t - f));
                    });
                    totals[id] += count.get();
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join(60_000);
        for (int c = 0; c < totals.length; c++) assertEquals(200L * 8 * 10, totals[c], "caller " + c);
    }
}
