package io.mocoj.methods.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Wall time of the team methods on three simulated models with 20 ms latency per call, 1,000
 * test and 30 dev examples, engine concurrency 64, against two lower bounds: the critical path
 * (sequential model steps of the slowest example × latency) and the throughput bound (all calls ×
 * latency / 64). Run: see docs/performance.md, section "moco-methods: team methods".
 */
public final class TeamMethodsBenchmark {
    private static List<ModelEndpoint> pool(Task task, double latencyMs) {
        return List.of("a", "b", "c").stream().<ModelEndpoint>map(name -> SimulatedModel.builder(task).name(name)
                .accuracy(0.6).persuadability(0.5).aggregationAccuracy(0.6).critiqueAccuracy(0.7).fixRate(0.5).contextUptake(0.6)
                .judgeAccuracy(0.8).terminateRate(0.4).latency(Duration.ofMillis((long) latencyMs)).seed(3).build()).toList();
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        double latencyMs = 20;
        int concurrency = 64;
        Task task = McqTasks.generate("bench", 30, n, List.of("general"), 1);
        List<ModelEndpoint> pool = pool(task, latencyMs);
        List<ModelEndpoint> instant = pool(task, 0);
        // depth: sequential model steps per example (test phase), plus one step for the dev phase where a dev evaluation is made
        record Case(String label, CollaborationMethod method, int depth) {}
        List<Case> cases = List.of(
                new Case("text_moa (round 1)", Methods.moa(), 1 + 1 + 1),
                new Case("text_moa (round 3)", Methods.moa().rounds(3), 1 + 3 + 1),
                new Case("text_multiagent_refine (round 3)", Methods.multiagentRefine(), 1 + 3 + 1),
                new Case("text_multiagent_feedback (round 3)", Methods.multiagentFeedback(), 1 + 1 + 2 * 2 + 1),
                new Case("text_knowledge_card", Methods.knowledgeCard(), 1 + 1 + 1),
                new Case("text_llm_blender", Methods.llmBlender(), 1 + 1 + 1),
                new Case("text_structure (complete, 3)", Methods.structure().structure("complete"), 1 + 3),
                new Case("text_slm_mux (k 5)", Methods.slmMux(), 1 + 1),
                new Case("text_heterogeneous_swarms", Methods.heterogeneousSwarms(), 5 * 3 + 3),
                new Case("text_bbmas (1 agent, ≤ 10 it.)", Methods.bbmas(), 2 * 10));
        System.out.printf(Locale.ROOT, "%-36s %9s %11s %9s %9s %12s %12s %7s%n", "method", "calls", "calls/ex", "0 ms s", "wall s",
                "path s", "calls·L/64", "ratio");
        for (Case c : cases) {
            long zero = System.nanoTime(); // the same run without latency: orchestration + simulator CPU time (and JIT warm-up)
            MoCo.run().models(instant).method(c.method()).task(task).seed(7).concurrency(concurrency).baselines(false).execute();
            double overhead = (System.nanoTime() - zero) / 1e9;
            long start = System.nanoTime();
            RunReport r = MoCo.run().models(pool).method(c.method()).task(task).seed(7).concurrency(concurrency).baselines(false).execute();
            double wall = (System.nanoTime() - start) / 1e9;
            long calls = r.summary().totalCalls();
            double path = c.depth() * latencyMs / 1000;
            double throughput = calls * latencyMs / 1000 / concurrency;
            System.out.printf(Locale.ROOT, "%-36s %9d %11.2f %9.2f %9.2f %12.2f %12.2f %7.2f  failed %d  score %.3f%n", c.label(), calls,
                    (double) calls / n, overhead, wall, path, throughput, wall / Math.max(path, throughput), r.summary().failed(), r.meanScore());
        }
    }
}
