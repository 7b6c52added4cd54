package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The blackboard system has no closed form for its accuracy; these check the rules a wrong
 * implementation breaks: it stops exactly by the vote rule, no agent acts more than allowed,
 * every call is accounted for, and the session length follows the documented termination rule.
 */
class BbmasTest {
    static final int N = 2000;
    static final Task TASK = McqTasks.generate("board", 0, N, List.of("general"), 12);

    static List<ModelEndpoint> pool(double terminate) {
        List<ModelEndpoint> out = new ArrayList<>();
        double[] acc = {0.5, 0.6, 0.7};
        for (int i = 0; i < 3; i++) {
            out.add(SimulatedModel.builder(TASK).name("agent" + i).accuracy(acc[i]).terminateRate(terminate)
                    .aggregationAccuracy(0.6).judgeAccuracy(0.7).seed(4).build());
        }
        return out;
    }

    /** Iterations of each example, checking the stop rule and the acting limits on the way. */
    static List<Integer> sessions(RunReport r, int maxActing, int minStop, int maxIterations) {
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Map<String, Object> session = Reports.exampleEvent(r, i, "session");
            int iterations = (Integer) session.get("iterations");
            boolean byVote = (Boolean) session.get("stopped_by_vote");
            assertTrue(iterations >= 1 && iterations <= maxIterations);
            int seen = 0;
            for (RunReport.TraceEvent e : r.trace()) {
                if (e.exampleIndex() != i || !e.event().equals("iteration")) continue;
                seen++;
                int it = (Integer) e.data().get("iteration");
                long stops = (Long) e.data().get("terminate_requests");
                @SuppressWarnings("unchecked") List<Bbmas.Entry> entries = (List<Bbmas.Entry>) e.data().get("entries");
                assertTrue(entries.size() <= maxActing, "at most max_num_agents_to_act agents act");
                Set<String> authors = new HashSet<>();
                for (Bbmas.Entry en : entries) {
                    assertTrue(authors.add(en.author()), "an agent acts once per iteration");
                    assertTrue(en.attempts() >= 1 && en.attempts() <= 3, "within max_num_retries");
                }
                if (it < iterations) assertTrue(stops < minStop, "no earlier iteration reached the stop vote");
                if (it == iterations) assertEquals(byVote, stops >= minStop, "stopped by the vote exactly when enough asked");
            }
            assertEquals(iterations, seen);
            if (!byVote) assertEquals(maxIterations, iterations, "without the vote only max_iterations stops it");
            lengths.add(iterations);
        }
        return lengths;
    }

    @Test
    void oneAgentPerIterationStopsByTheDocumentedTerminationRule() {
        double tau = 0.3;
        int max = 10;
        RunReport r = MoCo.run().models(pool(tau)).method(Methods.bbmas()).task(TASK).seed(6).baselines(false).execute();
        assertEquals(0, r.summary().failed());
        List<Integer> lengths = sessions(r, 1, 1, max);
        // iteration 1 always proposes a strategy (empty board); from iteration 2 on the acting agent terminates with
        // probability tau: P(T = k) = (1 − tau)^(k−2)·tau for 2 ≤ k < max, P(T = max) = (1 − tau)^(max−2)
        double mean = 0, second = 0;
        for (int k = 2; k <= max; k++) {
            double p = k < max ? Math.pow(1 - tau, k - 2) * tau : Math.pow(1 - tau, max - 2);
            mean += k * p;
            second += (double) k * k * p;
        }
        double sd = Math.sqrt(second - mean * mean);
        double measured = lengths.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertEquals(mean, measured, Reports.Z99 * sd / Math.sqrt(N), "mean session length");
        assertTrue(lengths.stream().allMatch(k -> k >= 2), "never stops in iteration 1");
        // one agent, one conclusion: no vote; two calls (choose, carry out) per iteration
        long calls = r.summary().usage().stream().mapToLong(u -> u.calls()).sum();
        assertEquals(2L * lengths.stream().mapToInt(Integer::intValue).sum(), calls);
    }

    @Test
    void twoAgentsAndAStopQuorumOfTwoVoteOnTheConclusions() {
        RunReport r = MoCo.run().models(pool(0.5)).method(Methods.bbmas().maxAgentsToAct(2).minAgentsToStop(2).maxIterations(6))
                .task(TASK).seed(6).baselines(false).execute();
        assertEquals(0, r.summary().failed());
        List<Integer> lengths = sessions(r, 2, 2, 6);
        long votes = 0;
        for (int i = 0; i < N; i++) {
            for (RunReport.TraceEvent e : r.trace()) if (e.exampleIndex() == i && e.event().equals("vote")) votes++;
        }
        assertTrue(votes > 0, "two entries in the last iteration lead to a vote");
        long calls = r.summary().usage().stream().mapToLong(u -> u.calls()).sum();
        assertEquals(2L * 2 * lengths.stream().mapToInt(Integer::intValue).sum() + 3 * votes, calls,
                "two agents × (choose + carry out) per iteration, and three votes per voted session");
    }

    @Test
    void aStopQuorumThatCanNeverBeReachedIsRefused() {
        SimulatedModel a = SimulatedModel.builder(TASK).name("a").build(), b = SimulatedModel.builder(TASK).name("b").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(a, b).method(Methods.bbmas().minAgentsToStop(2)).task(TASK).build());
        assertTrue(e.getMessage().contains("could never stop the session"), e.getMessage());
        assertEquals(0, a.callCount() + b.callCount());
    }
}
