package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.local.train.LoraConfig;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.local.train.TrainingResult;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedLogitsModel;
import io.mocoj.methods.toolbox.DeferralHead;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Co-LLM: the threshold rule on scripted distributions (exact), and head training on tiny GGUF models. */
class CoLlmTest {
    /** Deferral logits at response positions 0..7: the head is σ(hidden[0]). */
    static final double[] Z = {2.0, -1.0, 0.5, -2.0, 1.0, 0.1, -0.3, 3.0};

    static double sigma(double z) { return 1 / (1 + Math.exp(-z)); }

    /** The generator always writes "a", the mentor always "b"; the hidden state is the deferral logit of the position. */
    static List<ScriptedLogitsModel> scriptedPair() {
        List<String> pieces = List.of("a", "b");
        ScriptedLogitsModel gen = new ScriptedLogitsModel("gen", pieces, (prompt, soFar) -> Map.of("a", 0.7, "b", 0.3),
                soFar -> new float[] {(float) Z[Math.min(soFar.length(), Z.length - 1)]}, 1);
        ScriptedLogitsModel mentor = new ScriptedLogitsModel("mentor", pieces, (prompt, soFar) -> Map.of("a", 0.1, "b", 0.9), null, 0);
        return List.of(gen, mentor);
    }

    static final GenerationSettings EIGHT = new GenerationSettings(8, 0.0, 1.0, 1, 1);

    static RunReport decode(double threshold, String strategy, String schedule, int warm) {
        List<ScriptedLogitsModel> pool = scriptedPair();
        Task task = new Task("t", TaskType.EXACT_MATCH, List.of(), List.of(new Example("x", "go", Map.of(), List.of("a"), Map.of())));
        return MoCo.run().models(pool.get(0), pool.get(1))
                .method(Methods.coLlm().deferralHead(new DeferralHead(new double[] {1}, 0)).deferral(threshold, strategy).warmup(schedule, warm))
                .task(task).settings(EIGHT).seed(1).baselines(false).execute();
    }

    /** The expected text, written independently of the method: "b" where σ(z) > τ_t (defer: the mentor's top token). */
    static String expectedDefer(double[] tau) {
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < 8; t++) b.append(sigma(Z[t]) > tau[t] ? 'b' : 'a');
        return b.toString();
    }

    static double[] constant(double v) { double[] t = new double[8]; java.util.Arrays.fill(t, v); return t; }

    @Test
    void deferralFollowsTheThresholdExactly() {
        // σ(Z) = .881 .269 .622 .119 .731 .525 .426 .953
        for (double tau : new double[] {0.1, 0.3, 0.5, 0.6, 0.7, 0.9, 0.99}) {
            RunReport r = decode(tau, "defer", "none", 15);
            String out = r.examples().get(0).output();
            assertEquals(expectedDefer(constant(tau)), out, "threshold " + tau);
            long deferred = out.chars().filter(c -> c == 'b').count();
            assertEquals(deferred / 8.0, ((Number) Reports.runEvent(r, "deferral_rate").get("rate")).doubleValue(), 1e-12);
        }
        assertEquals("bababbab", decode(0.5, "defer", "none", 15).examples().get(0).output(), "by hand at 0.5");
        assertEquals("aaaaaaaa", decode(1.0, "defer", "none", 15).examples().get(0).output(), "threshold 1: never");
    }

    @Test
    void warmUpSchedulesStartAtOneAndReachTheThreshold() {
        // linear over 4 tokens from 1 to 0.5: 1, 5/6, 2/3, 1/2, then 0.5
        double[] lin = {1, 5.0 / 6, 2.0 / 3, 0.5, 0.5, 0.5, 0.5, 0.5};
        for (int t = 0; t < 8; t++) assertEquals(lin[t], DeferralHead.threshold("linear", 0.5, 4, 8, t), 1e-12);
        assertEquals(expectedDefer(lin), decode(0.5, "defer", "linear", 4).examples().get(0).output());
        // cosine over 4: 0.5 + 0.5·(1 + cos(π t / 4))/2
        double[] cos = new double[8];
        for (int t = 0; t < 8; t++) cos[t] = t < 4 ? 0.5 + 0.25 * (1 + Math.cos(Math.PI * t / 4)) : 0.5;
        for (int t = 0; t < 8; t++) assertEquals(cos[t], DeferralHead.threshold("cosine", 0.5, 4, 8, t), 1e-12);
        assertEquals(expectedDefer(cos), decode(0.5, "defer", "cosine", 4).examples().get(0).output());
        assertEquals("aaaabbab", decode(0.5, "defer", "linear", 4).examples().get(0).output(), "by hand: 0.881 < 1 at token 0");
    }

    @Test
    void composeMixesTheDistributionsWhereItDefers() {
        // deferred where σ > τ; there the top of (1−σ)(.7,.3) + σ(.1,.9) is b iff σ > 0.5
        RunReport r = decode(0.4, "compose", "none", 15);
        StringBuilder want = new StringBuilder();
        for (int t = 0; t < 8; t++) {
            double s = sigma(Z[t]);
            want.append(s > 0.4 && (1 - s) * 0.3 + s * 0.9 > (1 - s) * 0.7 + s * 0.1 ? 'b' : 'a');
        }
        assertEquals(want.toString(), r.examples().get(0).output());
        // σ = .426 at token 6 is deferred but still gives "a"
        assertEquals(6, ((Number) Reports.runEvent(r, "deferral_rate").get("deferred")).intValue());
    }

    @Test
    void aPoolOfOtherSizesOrWithoutTrainIsRefused() {
        List<ScriptedLogitsModel> pool = scriptedPair();
        Task task = new Task("t", TaskType.EXACT_MATCH, List.of(), List.of(new Example("x", "go", Map.of(), List.of("a"), Map.of())));
        var e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(pool.get(0)).method(Methods.coLlm()).task(task).execute());
        assertTrue(e.getMessage().contains("exactly 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(pool.get(0), pool.get(1)).method(Methods.coLlm()).task(task).execute());
        assertTrue(e.getMessage().contains("'gen'") && e.getMessage().contains("TRAIN"), e.getMessage());
    }

    @TempDir static Path dir;

    /** The generator (taught the "x" answers) and the mentor (taught "x" and "y"), trained once for the tests that need them. */
    record Split(LocalModel generator, LocalModel mentor, Task task) {}

    private static Split split;

    static synchronized Split split() throws Exception {
        if (split != null) return split;
        TinyModels.Shape shape = TinyModels.Shape.qwen2();
        LocalModel base = LocalModel.load(TinyModels.write(dir.resolve("b.gguf"), shape, GgmlType.F32, 31), LocalModelOptions.builder().threads(2).build());
        List<TrainingExample> xs = new ArrayList<>(), ys = new ArrayList<>();
        List<Example> dev = new ArrayList<>(), test = new ArrayList<>();
        String[] words = {"red", "sun", "cat", "map", "cup", "box"};
        for (int i = 0; i < words.length; i++) {
            xs.add(new TrainingExample.Completion("x" + i, words[i]));
            ys.add(new TrainingExample.Completion("y" + i, words[words.length - 1 - i] + "s"));
            dev.add(new Example("x" + i, "x" + i, Map.of(), List.of(words[i]), Map.of()));
            dev.add(new Example("y" + i, "y" + i, Map.of(), List.of(words[words.length - 1 - i] + "s"), Map.of()));
        }
        test.addAll(dev);
        TrainingConfig sft = TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(8).withDropout(0))
                .learningRate(1e-2).steps(40).batchTokens(4096).microBatchTokens(1024).threads(2).seed(1).build();
        List<TrainingExample> all = new ArrayList<>(xs);
        all.addAll(ys);
        LocalModel generator = named(Trainer.train(base, xs, sft, null), "gen"), mentor = named(Trainer.train(base, all, sft, null), "mentor");
        Task task = new Task("split", TaskType.EXACT_MATCH, dev, test);
        split = new Split(generator, mentor, task);
        return split;
    }

    /**
     * The joint objective (the default) on the same split, generator trained: one DEFERRAL job
     * trains the generator's LoRA and the head together; the marginal NLL of the reference tokens
     * falls below the untrained pool's (σ = ½ on the untrained generator) on the training rows and
     * on two held-out rows, and the head is saved.
     */
    @Test
    void jointTrainingLowersTheMarginalNllOnTrainingAndHeldOutRows() throws Exception {
        Split sp = split();
        Path logs = dir.resolve("joint-logs");
        RunReport r = MoCo.run().models(sp.generator(), sp.mentor())
                .method(Methods.coLlm().with("sft_max_steps", 12).with("sft_learning_rate", 1e-2).with("lora_rank", 4).with("head_steps", 60)
                        .with("joint_head_learning_rate", 0.05).with("heldout_num", 2))
                .task(sp.task()).evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(new GenerationSettings(6, 0.0, 1.0, 1, 1)).seed(1)
                .logDir(logs).baselines(false).execute();
        Map<String, Object> head = Reports.runEvent(r, "deferral_head");
        assertEquals("joint", head.get("training_objective"));
        assertEquals(10, num(head.get("rows")), 0);
        assertEquals(2, num(head.get("heldout_rows")), 0);
        List<?> losses = (List<?>) head.get("marginal_losses");
        assertEquals(12, losses.size(), "the joint job's loss of every step");
        double pool = num(head.get("untrained_pool_nll")), trained = num(head.get("trained_nll"));
        double heldPool = num(head.get("heldout_untrained_pool_nll")), heldTrained = num(head.get("heldout_trained_nll"));
        System.out.println("collm joint: train " + pool + " -> " + trained + ", held out " + heldPool + " -> " + heldTrained + ", losses " + losses);
        assertTrue(trained < pool, "training rows: trained " + trained + ", untrained pool " + pool);
        assertTrue(heldTrained < heldPool, "held-out rows: trained " + heldTrained + ", untrained pool " + heldPool);
        var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(logs.resolve("training/split-api_collm-seed1/generator/manifest.json").toFile());
        assertEquals("deferral", m.get("objective").asText());
        assertTrue(java.nio.file.Files.exists(logs.resolve("training/split-api_collm-seed1/deferral-head/deferral_head.gguf")));
    }


    /**
     * A learnable split of work: prompts "x…" have answers the generator was taught and prompts "y…"
     * answers only the mentor was taught (both by SFT here, before the method runs). Training the
     * deferral head lowers its losses and the marginal likelihood beats the untrained (σ = ½) head and
     * the generator alone; at test the trained pair defers far more on "y" prompts than on "x" ones.
     */
    @Test
    void trainingTheHeadLowersItsLossAndItDefersWhereTheMentorKnows() throws Exception {
        Split sp = split();
        LocalModel generator = sp.generator(), mentor = sp.mentor();
        Task task = sp.task();
        List<Example> test = task.test();
        RunReport r = MoCo.run().models(generator, mentor)
                .method(Methods.coLlm().with("train_generator", false).with("head_steps", 150).with("head_learning_rate", 0.05))
                .task(task).evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(new GenerationSettings(6, 0.0, 1.0, 1, 1)).seed(1)
                .logDir(dir.resolve("logs")).baselines(false).execute();
        Map<String, Object> head = Reports.runEvent(r, "deferral_head");
        List<?> bce = (List<?>) head.get("label_losses"), marginal = (List<?>) head.get("marginal_losses");
        assertTrue(num(bce.get(bce.size() - 1)) < num(bce.get(0)) * 0.7, "label loss " + bce.get(0) + " -> " + bce.get(bce.size() - 1));
        assertTrue(num(marginal.get(marginal.size() - 1)) <= num(marginal.get(0)), "marginal loss falls");
        double trained = num(head.get("marginal_nll_trained_head")), untrained = num(head.get("marginal_nll_untrained_head")),
                alone = num(head.get("generator_only_nll"));
        assertTrue(trained < untrained && trained < alone, "NLL trained " + trained + ", untrained head " + untrained + ", generator alone " + alone);
        double x = 0, y = 0;
        for (int i = 0; i < test.size(); i++) {
            double rate = num(Reports.exampleEvent(r, i, "deferrals").get("deferral_rate"));
            if (test.get(i).id().startsWith("x")) x += rate; else y += rate;
        }
        System.out.println("collm nll trained " + trained + " untrained " + untrained + " alone " + alone + "; deferral x " + x / 6 + " y " + y / 6
                + "; score " + r.summary().mean());
        // measured: 0.83 on "y" prompts, 0.54 on "x" prompts (the mentor knows those too, so deferring there costs nothing)
        assertTrue(y / 6 > x / 6 + 0.2, "deferral rate on mentor prompts " + y / 6 + ", on generator prompts " + x / 6);
        int generatorAlone = 0;
        for (Example e : test) {
            String g = generator.generate(io.mocoj.model.GenerationRequest.builder().user(e.input()).maxTokens(6).temperature(0).build()).text();
            generatorAlone += new io.mocoj.methods.testing.ExactWordEvaluator().score(e, g).value() > 0 ? 1 : 0;
        }
        assertTrue(r.summary().mean() > (generatorAlone + 2.0) / test.size(), "Co-LLM " + r.summary().mean() + ", generator alone "
                + generatorAlone + "/" + test.size());

        // the head is saved as a GGUF with a manifest; moco-local's own GGUF reader reads it, and a later run loads it by option
        Path saved = dir.resolve("logs/training/split-api_collm-seed1/deferral-head");
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.resolve("manifest.json").toFile());
        assertEquals("api_collm", manifest.get("method").asText());
        assertEquals("artifact", manifest.get("kind").asText());
        assertEquals("gen", manifest.get("details").get("generator").asText());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                java.nio.file.Files.readAllBytes(saved.resolve("deferral_head.gguf")))), manifest.get("sha256").asText());
        io.mocoj.local.gguf.GgufFile g = io.mocoj.local.gguf.GgufFile.open(saved.resolve("deferral_head.gguf"));
        assertEquals("collm_deferral_head", g.metadata().get("general.type"));
        assertEquals(generator.hiddenSize(), g.tensor("collm.deferral.weight").elementCount());
        List<?> traced = (List<?>) head.get("weights");
        var data = g.data("collm.deferral.weight");
        java.nio.ByteBuffer wb = data.windowOf(0).duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < traced.size(); i++) assertEquals((float) num(traced.get(i)), wb.getFloat(data.offsetOf(0) + 4 * i), "weight " + i);
        var reload = Methods.coLlm().with("deferral_head", saved.toString());
        double[] thresholds = {0.0, 0.25, 0.5, 0.75, 1.0};
        double[] rates = new double[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            RunReport again = MoCo.run().models(generator, mentor).method(reload.with("deferral_threshold", thresholds[k])).task(task)
                    .evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(new GenerationSettings(6, 0.0, 1.0, 1, 1)).seed(1)
                    .baselines(false).execute();
            assertEquals(false, Reports.runEvent(again, "collm").get("head_trained"));
            rates[k] = num(Reports.runEvent(again, "deferral_rate").get("rate"));
            if (thresholds[k] == 0.5) {
                for (int i = 0; i < test.size(); i++) {
                    assertEquals(r.examples().get(i).output(), again.examples().get(i).output(), "example " + i + " with the reloaded head");
                }
                assertEquals(num(Reports.runEvent(r, "deferral_rate").get("rate")), rates[k], 1e-12);
            }
        }
        System.out.println("collm deferral rate by threshold " + java.util.Arrays.toString(thresholds) + ": " + java.util.Arrays.toString(rates));
        // σ > 0 always and σ > 1 never (the definition); in between the rate falls as the threshold rises
        assertEquals(1.0, rates[0], 1e-12);
        assertEquals(0.0, rates[rates.length - 1], 1e-12);
        for (int k = 1; k < rates.length; k++) assertTrue(rates[k] <= rates[k - 1], "rate by threshold " + java.util.Arrays.toString(rates));
        var bad = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(generator, mentor)
                .method(Methods.coLlm().with("deferral_head", dir.resolve("nothing-here").toString())).task(task).execute());
        assertTrue(bad.getMessage().contains("deferral_head"), bad.getMessage());
    }

    static LocalModel named(TrainingResult r, String name) {
        return new TrainingResult(r.base(), name, r.adapter(), r.fullWeights(), r.losses(), r.steps(), r.resumedAt()).model();
    }

    static double num(Object o) { return ((Number) o).doubleValue(); }

}
