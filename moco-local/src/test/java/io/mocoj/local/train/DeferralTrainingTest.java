package io.mocoj.local.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.lora.LoraTensor;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.local.train.internal.DataEncoder;
import io.mocoj.train.DeferralTarget;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's DEFERRAL objective end to end on a tiny model: against a mentor that gives every
 * reference token probability 0.9 the marginal loss falls, the head learns to defer, progress
 * events carry the deferral metrics, a killed run resumes to the same adapter and head, and rows
 * whose mentor scores do not match their tokens are refused.
 */
class DeferralTrainingTest {
    @TempDir static Path dir;
    static LocalModel model;
    static final List<TrainingExample> ROWS = List.of(new TrainingExample.Completion("What is the colour of the sky?", "blue"),
            new TrainingExample.Completion("Name a prime.", "seven"), new TrainingExample.Completion("Say hi.", "hello there"));

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TinyModels.write(dir.resolve("tiny.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 7),
                LocalModelOptions.builder().threads(2).build());
    }

    /** The mentor's log-probabilities: log 0.9 for every completion token of every row. */
    static List<float[]> mentor(int extra) {
        List<float[]> out = new ArrayList<>();
        for (DataEncoder.Item it : DataEncoder.encode(model, ROWS, TrainingObjective.SFT, model.contextLength())) {
            float[] q = new float[it.seqs().get(0).scoredCount() + extra];
            Arrays.fill(q, (float) Math.log(0.9));
            out.add(q);
        }
        return out;
    }

    static TrainingConfig.Builder config(DeferralTarget t) {
        return TrainingConfig.builder().objective(TrainingObjective.DEFERRAL).deferral(t).lora(LoraConfig.of(4).withDropout(0)).learningRate(1e-2)
                .schedule(TrainingConfig.Schedule.CONSTANT).batchTokens(60).microBatchTokens(64).threads(2).seed(3).steps(8);
    }

    @Test
    void theMarginalLossFallsAndTheHeadLearnsToDeferToABetterMentor() {
        double[][] head = new double[1][];
        DeferralTarget t = new DeferralTarget(mentor(0), new double[model.hiddenSize() + 1], 0.05, h -> head[0] = h);
        List<TrainingProgress> events = new ArrayList<>();
        TrainingResult r = Trainer.train(model, ROWS, config(t).build(), events::add);
        assertNotNull(head[0], "the trained head is delivered");
        double first = r.losses().get(0), last = r.losses().get(r.losses().size() - 1);
        // the zero head starts at σ = ½: the loss is −log(½ p + ½ 0.9) ≤ −log 0.45 per token
        assertTrue(first < -Math.log(0.45) && first > -Math.log(0.9), "first loss " + first);
        assertTrue(last < first - 0.1, "loss " + first + " -> " + last);
        double p0 = events.get(0).metrics().get("deferral_probability"), pn = events.get(events.size() - 1).metrics().get("deferral_probability");
        assertEquals(0.5, p0, 1e-6, "the zero head defers with probability ½");
        assertTrue(pn > 0.6, "the head learns to defer to the mentor that knows every token: " + pn);
        assertTrue(events.get(0).metrics().get("mentor_share") > 0.5, "the mentor explains most of each token at the start");
        assertTrue(head[0][model.hiddenSize()] > 0, "bias toward deferring " + head[0][model.hiddenSize()]);
    }

    @Test
    void aKilledRunResumesToTheSameAdapterAndHead(@TempDir Path ckpt) throws IOException {
        double[] init = new double[model.hiddenSize() + 1];
        for (int i = 0; i < init.length; i++) init[i] = 0.1 * Math.sin(i);
        double[][] whole = new double[1][], resumed = new double[1][];
        TrainingResult a = Trainer.train(model, ROWS, config(new DeferralTarget(mentor(0), init, 0.05, h -> whole[0] = h)).build(), null);
        TrainingConfig withCkpt = config(new DeferralTarget(mentor(0), init, 0.05, h -> resumed[0] = h)).checkpointEvery(2).checkpointDir(ckpt).build();
        assertThrows(IllegalStateException.class, () -> Trainer.train(model, ROWS, withCkpt, p -> {
            if (p.step() == 3) throw new IllegalStateException("killed");
        }));
        assertTrue(Files.exists(ckpt.resolve("checkpoint-000002.gguf")));
        TrainingResult b = Trainer.train(model, ROWS, withCkpt, null);
        assertEquals(2, b.resumedAt());
        assertEquals(a.losses().subList(2, a.losses().size()), b.losses());
        assertArrayEquals(whole[0], resumed[0], "the head resumes from the checkpoint");
        for (Map.Entry<String, LoraTensor> e : a.adapter().tensors().entrySet()) {
            assertArrayEquals(e.getValue().a(), b.adapter().tensors().get(e.getKey()).a(), e.getKey());
            assertArrayEquals(e.getValue().b(), b.adapter().tensors().get(e.getKey()).b(), e.getKey());
        }
        // another head learning rate is another run: its checkpoint is not mixed in
        TrainingConfig other = config(new DeferralTarget(mentor(0), init, 0.02, h -> { })).checkpointEvery(2).checkpointDir(ckpt).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, ROWS, other, null));
        assertTrue(e.getMessage().contains("different training run"), e.getMessage());
    }

    @Test
    void mentorScoresThatDoNotMatchTheRowsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, ROWS,
                config(new DeferralTarget(mentor(1), new double[model.hiddenSize() + 1], 0.05, h -> { })).build(), null));
        assertTrue(e.getMessage().contains("training row 1") && e.getMessage().contains("mentor log-probabilities"), e.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, ROWS,
                config(new DeferralTarget(mentor(0), new double[5], 0.05, h -> { })).build(), null));
        assertTrue(size.getMessage().contains("hidden size"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().objective(TrainingObjective.DEFERRAL).build());
    }
}
