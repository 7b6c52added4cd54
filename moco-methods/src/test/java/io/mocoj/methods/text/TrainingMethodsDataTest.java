package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.methods.testing.ScriptedTrainable;
import io.mocoj.methods.toolbox.Exp3;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Task;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The data the training methods build, on scripted (simulated) trainable pools, against hand-worked expectations. */
class TrainingMethodsDataTest {
    private static final Pattern ID = Pattern.compile("\\[id:([a-z]+-\\d+)]");

    private static String id(GenerationRequest r) {
        Matcher m = ID.matcher(ScriptedTrainable.prompt(r));
        return m.find() ? m.group(1) : "?";
    }

    private static boolean critic(GenerationRequest r) { return ScriptedTrainable.prompt(r).contains("Your previous answer"); }

    /**
     * First / final letters per dev example for agents a, b, c (responses are "L from x"):
     * dev-0 A A B / A A A → consensus A; dev-1 C D D / C D D → D; dev-2 B C A / B C A → three-way tie → A (smallest).
     */
    private static final Map<String, String[][]> LETTERS = Map.of(
            "dev-0", new String[][] {{"A", "A", "B"}, {"A", "A", "A"}},
            "dev-1", new String[][] {{"C", "D", "D"}, {"C", "D", "D"}},
            "dev-2", new String[][] {{"B", "C", "A"}, {"B", "C", "A"}},
            "test-0", new String[][] {{"B", "B", "C"}, {"C", "B", "B"}});

    private static ScriptedTrainable agent(int k) {
        String self = List.of("a", "b", "c").get(k);
        return new ScriptedTrainable(self, r -> LETTERS.get(id(r))[critic(r) ? 1 : 0][k] + " from " + self);
    }

    @Test
    void multiagentFinetuningBuildsTheGenerationAndCriticSetsOfItsDebates() {
        Task task = McqTasks.generate("t", 3, 1, List.of("x"), 5);
        ScriptedTrainable a = agent(0), b = agent(1), c = agent(2);
        RunReport r = MoCo.run().models(a, b, c).method(Methods.multiagentFinetuning().rounds(2).w(0.5))
                .task(task).evaluator(new LetterEvaluator()).seed(1).execute();
        Map<String, Object> data = Reports.runEvent(r, "finetuning_data");
        var it = (MultiagentFinetuning.IterationData) data.get("data");
        assertEquals(3, it.debates());
        // a: gen {dev-0}; stayed {dev-0}; critic = max(1, ⌊0.5·1⌋) = 1 stayed row
        // b: gen {dev-0, dev-1}; stayed {dev-0, dev-1} → critic 1
        // c: gen {dev-1, dev-2}; fixed {dev-0}; stayed {dev-1, dev-2} → critic 1 fixed + 1 stayed
        int[][] expected = {{1, 0, 1, 1}, {2, 0, 2, 1}, {2, 1, 2, 2}};
        for (int k = 0; k < 3; k++) {
            var ad = it.agents().get(k);
            assertEquals(expected[k][0], ad.generation(), ad.agent() + " generation");
            assertEquals(expected[k][1], ad.fixedMistake(), ad.agent() + " fixed");
            assertEquals(expected[k][2], ad.stayedCorrect(), ad.agent() + " stayed");
            assertEquals(expected[k][3], ad.critic(), ad.agent() + " critic");
        }
        // the rows the trainer received: c's generation set is its own first responses on dev-1 and dev-2
        List<FineTuneRequest> cJobs = c.requests();
        assertEquals(2, cJobs.size(), "c trains a generation and a critic model");
        assertEquals(TrainingObjective.SFT, cJobs.get(0).objective());
        assertEquals(List.of("D from c", "A from c"), cJobs.get(0).examples().stream().map(e -> ((TrainingExample.Completion) e).completion()).toList());
        // c's critic rows: the fixed dev-0 debate with the consensus representative "A from a" (smallest of three single votes),
        // and one of its two stayed debates (dev-1: "D from b", dev-2: "A from c")
        List<String> critic = cJobs.get(1).examples().stream().map(e -> ((TrainingExample.Completion) e).completion()).toList();
        assertEquals("A from a", critic.get(0));
        assertTrue(Set.of("D from b", "A from c").contains(critic.get(1)), critic.toString());
        assertTrue(((TrainingExample.Completion) cJobs.get(1).examples().get(0)).prompt().contains("Your previous answer: B from c"));
        // test: final letters C B B → consensus B, spoken by the first agent that said it (b)
        assertEquals("B from b", r.examples().get(0).output());
        // training jobs are in the trace with their losses
        long jobs = r.trace().stream().filter(e -> e.event().equals("training")).count();
        assertEquals(6, jobs);
    }

    @Test
    void poolsThatCannotTrainAreRefusedBeforeAnyCallNamingTheModel() {
        Task task = McqTasks.generate("t", 3, 1, List.of("x"), 5);
        int[] calls = {0};
        Function<GenerationRequest, String> count = q -> { calls[0]++; return "A"; };
        var plain = ScriptedModel.text("plain-model", count);
        for (var method : List.of(Methods.multiagentFinetuning(), Methods.sparta(), Methods.spartaStackelberg())) {
            var e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(agent(0), agent(1), plain).method(method)
                    .task(task).evaluator(new LetterEvaluator()).execute());
            assertTrue(e.getMessage().contains("plain-model"), e.getMessage());
        }
        assertEquals(0, calls[0]);
        var two = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(agent(0), agent(1)).method(Methods.spartaStackelberg())
                .task(task).evaluator(new LetterEvaluator()).execute());
        assertTrue(two.getMessage().contains("at least 3"), two.getMessage());
    }

    /** Duellers: a answers "good", b and c "bad"; judges score 9 for "good", 2 otherwise. */
    private static ScriptedTrainable dueller(String name, String answer) {
        return new ScriptedTrainable(name, r -> {
            String p = ScriptedTrainable.prompt(r);
            if (p.startsWith("Rate the response")) return p.contains("Response: good") ? "{\"score\": 9}" : "{\"score\": 2}";
            return answer + " answer A";
        });
    }

    @Test
    void spartaPrefersTheJudgedWinnerDropsTiesAndRaisesItsRating() {
        Task task = McqTasks.generate("t", 9, 1, List.of("x"), 5);
        ScriptedTrainable a = dueller("a", "good"), b = dueller("b", "bad"), c = dueller("c", "bad");
        RunReport r = MoCo.run().models(a, b, c).method(Methods.sparta().iterations(1))
                .task(task).evaluator(new LetterEvaluator()).seed(2).execute();
        var it = (Sparta.IterationRecord) Reports.runEvent(r, "sparta_iteration").get("iteration");
        assertEquals(9, it.duels());
        assertEquals(9, it.complete());
        // every duel involving a has a winner; b vs c is a tie (2 vs 2)
        assertEquals(9, it.pairs() + it.ties());
        assertTrue(it.pairs() > 0 && it.ties() > 0, it.toString());
        FineTuneRequest job = a.requests().get(0);
        assertEquals(TrainingObjective.DPO, job.objective());
        assertEquals(it.pairs(), job.examples().size());
        for (var e : job.examples()) {
            var p = (TrainingExample.Preference) e;
            assertEquals("good answer A", p.chosen());
            assertEquals("bad answer A", p.rejected());
        }
        var last = it.ratings().get(it.ratings().size() - 1).ratings();
        assertTrue(last.get("a").score() > 100 && last.get("b").score() < 100, last.toString());
        assertEquals(9, it.ratings().size(), "ratings after every duel");
        assertEquals(List.of(1, 1, 1), List.of(a.requests().size(), b.requests().size(), c.requests().size()), "one DPO job per model");
        assertTrue(Reports.runEvent(r, "dev_selection").get("selection") instanceof io.mocoj.methods.toolbox.Training.Selection);
    }

    @Test
    void stackelbergLeaderRecordsItsArmProbabilitiesAndFollowsExp3() {
        Task task = McqTasks.generate("t", 4, 1, List.of("x"), 5);
        ScriptedTrainable a = dueller("a", "good"), b = dueller("b", "bad"), c = dueller("c", "bad");
        RunReport r = MoCo.run().models(a, b, c).method(Methods.spartaStackelberg().iterations(2).with("num_duels_per_iteration", 6))
                .task(task).evaluator(new LetterEvaluator()).seed(4).execute();
        List<SpartaStackelberg.LeaderRecord> leader = r.trace().stream().filter(e -> e.event().equals("leader"))
                .map(e -> (SpartaStackelberg.LeaderRecord) e.data().get("leader")).toList();
        assertEquals(2, leader.size());
        List<SpartaStackelberg.IterationRecord> its = r.trace().stream().filter(e -> e.event().equals("stackelberg_iteration"))
                .map(e -> (SpartaStackelberg.IterationRecord) e.data().get("iteration")).toList();
        for (var it : its) assertEquals(6, it.pairs() + it.ties(), "judges keep their pool names after training: " + it);
        assertEquals(2, a.requests().size(), "a is DPO-trained in both iterations");
        double[] first = leader.get(0).probabilities().get("global");
        for (double p : first) assertEquals(0.25, p, 1e-12);
        // replay the leader's EXP3 update from the first iteration's duel scores (judged by the scripted rule, weighted equally)
        Exp3 replay = new Exp3(4, 0.2);
        var played = r.trace().stream().filter(e -> e.event().equals("stackelberg_iteration")).findFirst().orElseThrow();
        assertEquals(6, ((SpartaStackelberg.IterationRecord) played.data().get("iteration")).duels());
        var h = io.mocoj.method.Hyperparameters.defaults(SpartaStackelberg.NAME, SpartaStackelberg.PARAMETERS);
        List<Integer> arms = leader.get(0).chosenInstructions();
        // in iteration 0 the duel scores are 9 (a) or 2 (b, c): a duel with a is 9 vs 2 (or 2 vs 9), b vs c is 2 vs 2
        List<String> actives = List.of("a", "b", "c", "a", "b", "c");
        Set<Integer> seen = new HashSet<>();
        for (int d = 0; d < 6; d++) seen.add(arms.get(d));
        assertTrue(!seen.isEmpty());
        // the test cannot see the opponents, so it checks the sum of probabilities and that arms chosen were rewarded
        double[] second = leader.get(1).probabilities().get("global");
        double sum = 0;
        for (double p : second) sum += p;
        assertEquals(1.0, sum, 1e-12);
        for (int k = 0; k < 4; k++) if (!seen.contains(k)) assertTrue(second[k] <= 0.25 + 1e-12, "an arm never chosen cannot gain weight");
        assertEquals(6, actives.size());
        assertTrue(h.getDouble("leader_uniform_mix") == 0.2);
    }

    /** Records the seed of every answer (not judge) call a scripted agent gets on a dev prompt (the engine's own baseline runs on test). */
    private static ScriptedTrainable seedRecorder(String name, String answer, java.util.Collection<String> log) {
        return new ScriptedTrainable(name, r -> {
            String p = ScriptedTrainable.prompt(r);
            if (p.startsWith("Rate the response")) return p.contains("Response: good") ? "{\"score\": 9}" : "{\"score\": 2}";
            if (id(r).startsWith("dev")) log.add((critic(r) ? "critic " : "answer ") + r.seed().getAsLong());
            return answer + " answer A";
        });
    }

    @Test
    void everyAgentAndDuellerSamplesWithItsOwnSeed() {
        // the documented rule: agent 0 keeps the run seed, agent i > 0 takes the i-th nextLong() of SplittableRandom(run seed)
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        long s1 = rng.nextLong(), s2 = rng.nextLong();
        assertEquals(List.of(3L, s1, s2), List.of(io.mocoj.methods.toolbox.AgentSampling.seed(3, 0),
                io.mocoj.methods.toolbox.AgentSampling.seed(3, 1), io.mocoj.methods.toolbox.AgentSampling.seed(3, 2)));
        assertTrue(s1 != 3 && s2 != 3 && s1 != s2);
        Task task = McqTasks.generate("t", 3, 1, List.of("x"), 5);
        List<Set<String>> logs = List.of(java.util.concurrent.ConcurrentHashMap.newKeySet(), java.util.concurrent.ConcurrentHashMap.newKeySet(),
                java.util.concurrent.ConcurrentHashMap.newKeySet());
        List<ScriptedTrainable> agents = List.of(seedRecorder("a", "good", logs.get(0)), seedRecorder("b", "bad", logs.get(1)), seedRecorder("c", "bad", logs.get(2)));
        MoCo.run().models(agents.get(0), agents.get(1), agents.get(2)).method(Methods.multiagentFinetuning().rounds(2))
                .task(task).evaluator(new LetterEvaluator()).seed(3).execute();
        // the dev debates' first answers and critic rounds, all with the agent's own seed
        assertEquals(Set.of("answer 3", "critic 3"), logs.get(0));
        assertEquals(Set.of("answer " + s1, "critic " + s1), logs.get(1));
        assertEquals(Set.of("answer " + s2, "critic " + s2), logs.get(2));
        for (String method : List.of("sparta", "stackelberg")) {
            logs.forEach(Set::clear);
            List<ScriptedTrainable> duellers = List.of(seedRecorder("a", "good", logs.get(0)), seedRecorder("b", "bad", logs.get(1)), seedRecorder("c", "bad", logs.get(2)));
            var m = method.equals("sparta") ? Methods.sparta().iterations(1) : Methods.spartaStackelberg().iterations(1).with("num_duels_per_iteration", 6);
            MoCo.run().models(duellers.get(0), duellers.get(1), duellers.get(2)).method(m)
                    .task(task).evaluator(new LetterEvaluator()).seed(3).execute();
            // duels by the dueller's own seed; the dev selection and the test answer of the chosen model use the run seed
            assertTrue(logs.get(1).contains("answer " + s1) && logs.get(2).contains("answer " + s2), method + ": " + logs);
            for (int k = 0; k < 3; k++) {
                Set<String> allowed = new HashSet<>(List.of("answer 3", "answer " + List.of(3L, s1, s2).get(k)));
                assertTrue(allowed.containsAll(logs.get(k)), method + " " + k + ": " + logs.get(k));
            }
        }
    }

    @Test
    void leaderRewardMatchesTheReference() {
        var hp = io.mocoj.method.Hyperparameters.defaults(SpartaStackelberg.NAME, SpartaStackelberg.PARAMETERS);
        assertEquals(0.35843268678965334, SpartaStackelberg.leaderReward(hp, 5, new double[] {5, 8}, 0, 1), 1e-14);
        assertEquals(0.22986125821822478, SpartaStackelberg.leaderReward(hp, 8, new double[] {5, 8}, 0, 1), 1e-14);
        assertEquals(0.019029123010600054, SpartaStackelberg.leaderReward(hp, 2, new double[] {2, 9}, 1, 3), 1e-14);
        assertEquals(0.46742860465598624, SpartaStackelberg.leaderReward(hp, 9, new double[] {9, 9}, 2, 3), 1e-14);
    }

    @Test
    void trainingRatioIsASeededSampleOfTheDevSplitInDevOrder() {
        Task task = McqTasks.generate("ratio", 20, 1, List.of("x"), 3);
        var dev = task.dev();
        var a = io.mocoj.methods.toolbox.DevScores.sample(dev, 0.35, 42);
        var b = io.mocoj.methods.toolbox.DevScores.sample(dev, 0.35, 42);
        assertEquals(7, a.size(), "max(1, floor(0.35 * 20)) = 7 examples");
        assertEquals(a, b, "the same seed draws the same examples");
        List<Integer> at = a.stream().map(dev::indexOf).toList();
        for (int k = 1; k < at.size(); k++) assertTrue(at.get(k) > at.get(k - 1), "kept in dev order: " + at);
        assertTrue(!at.equals(List.of(0, 1, 2, 3, 4, 5, 6)), "a sample, not the first share: " + at);
        assertEquals(1, io.mocoj.methods.toolbox.DevScores.sample(dev, 0.01, 42).size(), "at least one example");
        assertEquals(dev, io.mocoj.methods.toolbox.DevScores.sample(dev, 1.0, 42));
    }
}
