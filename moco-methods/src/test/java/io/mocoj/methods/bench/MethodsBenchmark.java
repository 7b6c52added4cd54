package io.mocoj.methods.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.methods.Methods;
import io.mocoj.methods.api.CascadeMode;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the methods' orchestration through the real engine, on zero-latency simulated
 * models (so the numbers measure method + engine + evaluator overhead, not model time).
 * Run: see docs/performance.md, section moco-methods.
 */
public final class MethodsBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Task task = McqTasks.generate("bench", 2_000, n, List.of("algebra", "law", "medicine"), 1);
        List<ModelEndpoint> pool = List.of("algebra", "law", "medicine").stream().<ModelEndpoint>map(d -> SimulatedModel.builder(task)
                .name("expert-" + d).accuracy(0.4).groupAccuracy(d, 0.9).routingSkill(0.9).seed(3).build()).toList();
        List<String> descriptions = List.of("algebra specialist", "law specialist", "medicine specialist");
        record Case(String label, CollaborationMethod method) {}
        List<Case> cases = List.of(
                new Case("single_model", Methods.singleModel()),
                new Case("text_majority_vote (random)", Methods.majorityVote()),
                new Case("text_majority_vote (dev-based)", Methods.majorityVote().tie(Tie.DEV_BASED)),
                new Case("api_cascade (logit)", Methods.cascade().mode(CascadeMode.LOGIT)),
                new Case("api_cascade (just_ask)", Methods.cascade().mode(CascadeMode.JUST_ASK)),
                new Case("api_prompt_routing", Methods.promptRouting().modelDescriptions(descriptions)));
        for (int round = 0; round < 2; round++) { // round 0 warms up the JIT
            for (Case c : cases) {
                long start = System.nanoTime();
                RunReport r = MoCo.run().models(pool).method(c.method()).task(task).seed(7).execute();
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%-32s %6d test ex  %7d calls  %6.2f s  %8.0f ex/s  %8.0f calls/s  score %.4f%n",
                            c.label(), n, r.summary().totalCalls(), seconds, n / seconds, r.summary().totalCalls() / seconds, r.meanScore());
                }
            }
        }
    }
}
