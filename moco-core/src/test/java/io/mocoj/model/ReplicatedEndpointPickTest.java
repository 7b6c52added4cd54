package io.mocoj.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replica choice rule without any timing: in-process replicas, calls held open with latches, a fake clock. */
class ReplicatedEndpointPickTest {

    /** A replica that counts its calls; a call blocks while {@code hold} is set and not yet released. */
    private static final class Fake implements ModelEndpoint {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch hold, entered;
        volatile boolean down;

        Fake(String name) { this.name = name; }

        @Override public String name() { return name; }
        @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }

        @Override
        public Generation generate(GenerationRequest request) {
            calls.incrementAndGet();
            if (down) throw new ModelCallException(name, "connection refused", true, 0, null, null);
            CountDownLatch h = hold;
            if (h != null) {
                entered.countDown();
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Generation.of(name);
        }
    }

    private static List<Fake> fakes(int n) {
        List<Fake> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Fake("r" + i));
        return out;
    }

    private static ReplicatedEndpoint replicated(List<Fake> fs, AtomicLong clock) {
        return new ReplicatedEndpoint("m", fs.stream().map(f -> f.name).toList(), fs, clock::get);
    }

    @Test
    void sequentialCallsRotateExactlyOverEqualReplicas() {
        List<Fake> fs = fakes(3);
        ReplicatedEndpoint m = replicated(fs, new AtomicLong());
        List<String> who = new ArrayList<>();
        for (int i = 0; i < 9; i++) who.add(m.generate(GenerationRequest.of("q")).text());
        assertEquals(List.of("r0", "r1", "r2", "r0", "r1", "r2", "r0", "r1", "r2"), who);
    }

    @Test
    void aCallGoesToTheReplicaWithFewestCallsInFlight() throws Exception {
        List<Fake> fs = fakes(2);
        ReplicatedEndpoint m = replicated(fs, new AtomicLong());
        Fake r0 = fs.get(0);
        r0.hold = new CountDownLatch(1);
        r0.entered = new CountDownLatch(1);
        Thread blocked = Thread.ofVirtual().start(() -> m.generate(GenerationRequest.of("first")));
        assertTrue(r0.entered.await(30, TimeUnit.SECONDS), "the first call reached r0 (rotation starts there)");
        // r0 has one call in flight, r1 none: whatever the rotation says, the next calls go to r1.
        for (int i = 0; i < 4; i++) assertEquals("r1", m.generate(GenerationRequest.of("q" + i)).text());
        r0.hold.countDown();
        blocked.join(30_000);
        assertEquals(1, r0.calls.get());
        assertEquals(4, fs.get(1).calls.get());
    }

    @Test
    void aFailingReplicaCoolsDownAndComesBackWhenItsCoolDownEnds() {
        List<Fake> fs = fakes(2);
        AtomicLong clock = new AtomicLong();
        ReplicatedEndpoint m = replicated(fs, clock);
        fs.get(0).down = true;
        assertEquals("r1", m.generate(GenerationRequest.of("q")).text(), "retried at once on the other replica");
        for (int i = 0; i < 5; i++) assertEquals("r1", m.generate(GenerationRequest.of("q")).text(), "r0 is cooling down");
        assertEquals(1, fs.get(0).calls.get(), "no call reached r0 during its cool-down");
        fs.get(0).down = false;
        clock.addAndGet(ReplicatedEndpoint.FIRST_COOL_DOWN.toNanos() + 1);
        List<String> who = new ArrayList<>();
        for (int i = 0; i < 4; i++) who.add(m.generate(GenerationRequest.of("q")).text());
        assertEquals(2, who.stream().filter("r0"::equals).count(), "back in the rotation: " + who);
        var usage = m.replicaUsage();
        assertEquals(1, usage.get(0).failures());
        assertEquals(1, usage.get(0).coolDowns());
    }
}
