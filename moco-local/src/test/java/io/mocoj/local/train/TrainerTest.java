package io.mocoj.local.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.lora.LoraAdapter;
import io.mocoj.local.lora.LoraTensor;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.ChatMessage;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.train.TrainingException;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end behaviour of {@link Trainer} on small random models. */
class TrainerTest {
    @TempDir static Path dir;
    static LocalModel f32;
    static Path f32File;
    static LocalModel q8;

    static final List<TrainingExample> SFT = List.of(
            new TrainingExample.Completion("What is the colour of the sky?", "blue"),
            new TrainingExample.Completion("Name a prime.", "seven"),
            new TrainingExample.Completion("Say hi.", "hello there"),
            new TrainingExample.Conversation(List.of(ChatMessage.system("Be short."), ChatMessage.user("Opposite of up?"),
                    ChatMessage.assistant("down"), ChatMessage.user("And of left?"), ChatMessage.assistant("right"))));

    @BeforeAll
    static void models() throws IOException {
        f32File = TinyModels.write(dir.resolve("tiny-f32.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 7);
        f32 = LocalModel.load(f32File, LocalModelOptions.builder().threads(2).build());
        q8 = LocalModel.load(TinyModels.write(dir.resolve("tiny-q8.gguf"), TinyModels.Shape.llama(), GgmlType.Q8_0, 8),
                LocalModelOptions.builder().threads(2).build());
    }

    static TrainingConfig.Builder sft() {
        return TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(8).withDropout(0)).learningRate(1e-2)
                .schedule(TrainingConfig.Schedule.CONSTANT).batchTokens(4096).microBatchTokens(64).threads(2).seed(3);
    }

    @Test
    void loraSftOverfitsASmallBatch() {
        List<TrainingProgress> events = new ArrayList<>();
        TrainingResult r = Trainer.train(f32, SFT, sft().steps(60).build(), events::add);
        assertEquals(60, events.size());
        double first = r.losses().get(0), last = r.losses().get(r.losses().size() - 1);
        assertTrue(first > 2, "a random model starts far from the data: " + first);
        assertTrue(last < 0.05, "loss after 60 steps on 4 examples: " + last);
        assertTrue(events.get(59).tokensPerSecond() > 0);
        // the in-memory endpoint generates the memorised answer greedily
        String out = r.model().generate(io.mocoj.model.GenerationRequest.builder().user("Name a prime.").temperature(0).maxTokens(8).build()).text();
        assertEquals("seven", out);
    }

    @Test
    void aTrainedAdapterIsAnOrdinaryLlamaCppAdapterFile() {
        TrainingResult r = Trainer.train(f32, SFT, sft().steps(8).build(), null);
        Path out = r.save(dir.resolve("as-spec"), GgmlType.F16);
        // loaded back through the gguf:...?lora= spec, applied at inference (not merged)
        LocalModel viaSpec = (LocalModel) ModelSpecs.resolve("gguf:" + f32File + "?threads=2&lora=" + out, new SpecContext(Optional.empty(), 1));
        assertEquals(1, viaSpec.adapters().size());
        LoraAdapter loaded = viaSpec.adapters().get(0).adapter();
        assertEquals(r.adapter().tensors(), loaded.tensors(), "the file holds exactly the trained pairs (F32)");
        assertEquals(r.adapter().alpha(), loaded.alpha());
        int[] prompt = f32.encodeChat(List.of(ChatMessage.user("Name a prime.")), true);
        float[] merged = logits(r.model(), prompt), applied = logits(viaSpec, prompt), plain = logits(f32, prompt);
        double diff = 0, effect = 0;
        for (int i = 0; i < merged.length; i++) {
            diff = Math.max(diff, Math.abs(merged[i] - applied[i]));
            effect = Math.max(effect, Math.abs(merged[i] - plain[i]));
        }
        // (W + s·BA)x vs Wx + s·B(Ax) in F32: measured 2.3e-4 on logits of size ~10, a summation-order difference
        assertTrue(diff < 1e-3, "merged vs applied at inference: " + diff);
        assertTrue(effect > 0.1, "training changed the logits by only " + effect);
        // unmerging gives the base back up to float rounding
        LocalModel back = r.adapter().unmergeFrom(r.model(), "back");
        for (String t : r.adapter().tensors().keySet()) {
            float[] w = f32.tensor(t), b = back.tensor(t), m = r.model().tensor(t);
            double moved = 0;
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], b[i], 1e-6f, t);
                moved = Math.max(moved, Math.abs(m[i] - w[i]));
            }
            assertTrue(moved > 1e-4, t + " was not changed by merging: " + moved);
        }
    }

    static float[] logits(LocalModel m, int[] prompt) {
        try (LocalModel.Session s = m.newSession()) {
            s.append(prompt);
            return s.logits().clone();
        }
    }

    @Test
    void fullFineTuningOverfitsToo() {
        TrainingResult r = Trainer.train(f32, SFT, sft().fullFineTuning().learningRate(3e-3).steps(40).build(), null);
        assertTrue(r.losses().get(39) < 0.05, "full fine-tuning loss " + r.losses().get(39));
        assertTrue(r.adapter() == null && r.fullWeights().containsKey("blk.0.attn_q.bias"));
    }

    @Test
    void loraTrainsOnAQuantisedBase() {
        TrainingResult r = Trainer.train(q8, SFT, sft().steps(30).build(), null);
        assertTrue(r.losses().get(29) < r.losses().get(0) / 2, "Q8_0 base with LoRA: " + r.losses());
    }

    @Test
    void rerunsAreBitIdenticalAndMicroBatchingMatchesOneBatch() {
        TrainingConfig c = sft().lora(LoraConfig.of(4)).steps(5).build(); // dropout 0.05 on
        TrainingResult a = Trainer.train(f32, SFT, c, null), b = Trainer.train(f32, SFT, c, null);
        for (String t : a.adapter().tensors().keySet()) {
            assertArrayEquals(a.adapter().tensors().get(t).a(), b.adapter().tensors().get(t).a(), t);
            assertArrayEquals(a.adapter().tensors().get(t).b(), b.adapter().tensors().get(t).b(), t);
        }
        // the same step as one micro-batch or many gives the same loss (up to float summation order)
        TrainingConfig one = sft().steps(1).microBatchTokens(4096).build(), many = sft().steps(1).microBatchTokens(16).build();
        assertEquals(Trainer.train(f32, SFT, one, null).losses().get(0), Trainer.train(f32, SFT, many, null).losses().get(0), 1e-5);
    }

    /**
     * Every output element is computed by one worker in a fixed summation order, so the thread
     * count changes nothing: 1 and 2 training threads give bit-identical losses and weights, for
     * LoRA SFT (with dropout), full fine-tuning and GRPO (sampling, rewards, advantages); and a
     * checkpoint written with 2 threads resumes with 1 to the same result.
     */
    @Test
    void oneAndTwoThreadsGiveBitIdenticalTraining(@TempDir Path ckpt) {
        TrainingConfig lora = sft().lora(LoraConfig.of(4)).steps(4).build(); // dropout 0.05 on
        TrainingConfig full = sft().fullFineTuning().learningRate(1e-3).steps(3).build();
        List<TrainingExample> prompts = List.of(new TrainingExample.Prompt("Name a prime.", "s"), new TrainingExample.Prompt("Say hi.", "h"));
        TrainingConfig grpo = sft().objective(TrainingObjective.GRPO).reward((e, t) -> t.length() + (t.startsWith(e.answer()) ? 5 : 0))
                .groupSize(4).promptsPerStep(2).maxCompletionTokens(3).steps(3).build();
        for (TrainingConfig c : List.of(lora, full, grpo)) {
            List<TrainingExample> data = c == grpo ? prompts : SFT;
            TrainingResult one = Trainer.train(f32, data, c.toBuilder().threads(1).build(), null);
            TrainingResult two = Trainer.train(f32, data, c.toBuilder().threads(2).build(), null);
            assertEquals(one.losses(), two.losses());
            if (c == grpo) { // the rewards differ within groups, so GRPO really updates the adapters
                assertTrue(one.adapter().tensors().values().stream().anyMatch(t -> {
                    for (float v : t.b()) if (v != 0) return true;
                    return false;
                }), "GRPO left every lora_b at zero");
            }
            if (c.lora() != null) {
                assertEquals(one.adapter().tensors(), two.adapter().tensors(), "adapters with 1 and 2 threads");
            } else {
                assertEquals(one.fullWeights().keySet(), two.fullWeights().keySet());
                for (String t : one.fullWeights().keySet()) assertArrayEquals(one.fullWeights().get(t), two.fullWeights().get(t), t);
            }
        }
        // checkpoints do not depend on the thread count either
        TrainingConfig withCkpt = lora.toBuilder().checkpointEvery(2).checkpointDir(ckpt).threads(2).build();
        assertThrows(IllegalStateException.class, () -> Trainer.train(f32, SFT, withCkpt, p -> {
            if (p.step() == 3) throw new IllegalStateException("stopped");
        }));
        TrainingResult resumed = Trainer.train(f32, SFT, withCkpt.toBuilder().threads(1).build(), null);
        assertEquals(2, resumed.resumedAt());
        assertEquals(Trainer.train(f32, SFT, lora, null).adapter().tensors(), resumed.adapter().tensors());
    }

    @Test
    void killAndResumeGivesTheSameWeights(@TempDir Path ckpt) {
        TrainingConfig c = sft().lora(LoraConfig.of(4)).steps(6).batchTokens(60).build();
        TrainingResult whole = Trainer.train(f32, SFT, c, null);
        TrainingConfig withCkpt = c.toBuilder().checkpointEvery(2).checkpointDir(ckpt).build();
        assertThrows(IllegalStateException.class, () -> Trainer.train(f32, SFT, withCkpt, p -> {
            if (p.step() == 3) throw new IllegalStateException("killed");
        }));
        assertTrue(Files.exists(ckpt.resolve("checkpoint-000002.gguf")));
        TrainingResult resumed = Trainer.train(f32, SFT, withCkpt, null);
        assertEquals(2, resumed.resumedAt());
        assertEquals(4, resumed.losses().size());
        assertEquals(whole.losses().subList(2, 6), resumed.losses());
        for (Map.Entry<String, LoraTensor> e : whole.adapter().tensors().entrySet()) {
            assertArrayEquals(e.getValue().a(), resumed.adapter().tensors().get(e.getKey()).a(), e.getKey());
            assertArrayEquals(e.getValue().b(), resumed.adapter().tensors().get(e.getKey()).b(), e.getKey());
        }
        // a checkpoint of another run is refused rather than silently mixed in
        TrainingConfig other = withCkpt.toBuilder().learningRate(5e-3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(f32, SFT, other, null));
        assertTrue(e.getMessage().contains("different training run"), e.getMessage());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Trainer.train(f32, List.of(), sft().build(), null));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(f32, SFT, sft().maxLength(12).build(), null));
        assertTrue(tooLong.getMessage().contains("training row 1 has") && tooLong.getMessage().contains("longest sequence allowed (12)"), tooLong.getMessage());
        IllegalArgumentException quant = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(q8, SFT, sft().fullFineTuning().build(), null));
        assertTrue(quant.getMessage().contains("quantised") && quant.getMessage().contains("LoRA"), quant.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> Trainer.train(f32, SFT,
                sft().objective(TrainingObjective.DPO).build(), null));
        assertTrue(kind.getMessage().contains("training row 1 is a prompt/completion row, but objective dpo needs"), kind.getMessage());
    }

    @Test
    void aNanLossStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path ckpt) throws IOException {
        TrainingConfig c = sft().fullFineTuning().learningRate(1e30).maxGradNorm(0).steps(20).checkpointEvery(1).checkpointDir(ckpt).build();
        List<Integer> steps = new ArrayList<>();
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.train(f32, SFT, c, p -> steps.add(p.step())));
        int lastGood = steps.get(steps.size() - 1);
        assertTrue(e.getMessage().contains("NaN") || e.getMessage().contains("Infinity"), e.getMessage());
        assertTrue(e.getMessage().contains("checkpoint-" + String.format("%06d", lastGood)), e.getMessage());
        List<Path> left = io.mocoj.local.train.internal.Checkpoints.list(ckpt);
        assertEquals(List.of(ckpt.resolve(String.format("checkpoint-%06d.gguf", lastGood))), left);
    }
}
