package io.mocoj.serve;

import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.model.TokenUsage;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** Test models and tasks for the chat model and the server. */
final class TestPools {
    private TestPools() {}

    /**
     * A model (not simulated, not a network model: a test double) that answers "NAME heard: LAST USER
     * TEXT", reports 7 prompt and 3 completion tokens per call, waits {@code latency}, and records
     * every request it receives.
     */
    static class EchoModel implements ModelEndpoint {
        final String name;
        final Duration latency;
        final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();

        EchoModel(String name, Duration latency) {
            this.name = name;
            this.latency = latency;
        }

        @Override public String name() { return name; }
        @Override public Set<Capability> capabilities() { return EnumSet.of(Capability.TEXT); }
        @Override public ModelPricing pricing() { return ModelPricing.UNKNOWN; }
        @Override public String identity() { return "test-echo:" + name; }

        @Override
        public Generation generate(GenerationRequest request) {
            requests.add(request);
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Generation(name + " heard: " + request.lastUserText(), FinishReason.STOP, new TokenUsage(7, 3), List.of(), List.of());
        }
    }

    /** A four-option multiple-choice task with a {@code domain} field, {@code dev} and {@code test} examples per split. */
    static Task mcq(int dev, int test, List<String> domains, long seed) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<Example> d = new ArrayList<>(), t = new ArrayList<>();
        for (int i = 0; i < dev + test; i++) {
            String letter = String.valueOf("ABCD".charAt(rng.nextInt(4)));
            String domain = domains.get(i % domains.size());
            Example e = new Example("q" + i, "Question number " + i + " about " + domain + " item " + rng.nextInt(1_000_000) + "?",
                    Map.of("A", "alpha " + i, "B", "beta " + i, "C", "gamma " + i, "D", "delta " + i), List.of(letter),
                    Map.of("domain", domain));
            (i < dev ? d : t).add(e);
        }
        return new Task("chat-calibration", TaskType.MULTIPLE_CHOICE, d, t);
    }
}
