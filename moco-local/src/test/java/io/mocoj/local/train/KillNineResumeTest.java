package io.mocoj.local.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.lora.LoraAdapter;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL (no shutdown hook, no clean-up, possibly half-way through
 * writing a checkpoint) and started again resumes from its last checkpoint and ends with the
 * bit-identical adapter and losses of an uninterrupted run with the same seed.
 */
class KillNineResumeTest {
    static final int STEPS = 24, EVERY = 3;

    static final List<TrainingExample> DATA = List.of(
            new TrainingExample.Completion("What is the colour of the sky?", "blue"),
            new TrainingExample.Completion("Name a prime.", "seven"),
            new TrainingExample.Completion("Say hi.", "hello there"),
            new TrainingExample.Completion("Count.", "1 2 3 4"));

    /** Dropout on, several micro-batches per step: everything that draws random numbers or accumulates is exercised. */
    static TrainingConfig config(Path checkpoints) {
        TrainingConfig.Builder b = TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(4).withDropout(0.1))
                .learningRate(5e-3).warmupSteps(3).steps(STEPS).batchTokens(70).microBatchTokens(40).threads(2).seed(21);
        return checkpoints == null ? b.build() : b.checkpointEvery(EVERY).checkpointDir(checkpoints).build();
    }

    /** The child process: {@code MODEL CHECKPOINT_DIR OUT_DIR SLEEP_MS}; writes OUT_DIR/adapter.gguf and losses.txt when done. */
    public static void main(String[] args) throws Exception {
        LocalModel model = LocalModel.load(Path.of(args[0]), LocalModelOptions.builder().threads(2).build());
        long sleep = Long.parseLong(args[3]);
        TrainingResult r = Trainer.train(model, DATA, config(Path.of(args[1])), p -> {
            try {
                Thread.sleep(sleep); // slows the run down so that the parent's kill lands in the middle of it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Path out = Files.createDirectories(Path.of(args[2]));
        r.adapter().save(out.resolve("adapter.gguf"));
        List<String> lines = new ArrayList<>(List.of("resumedAt " + r.resumedAt()));
        for (double l : r.losses()) lines.add(Double.toString(l));
        Files.write(out.resolve("losses.txt"), lines);
    }

    private static Process child(Path model, Path ckpt, Path out, long sleepMs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-modules") || a.startsWith("-Xmx")) cmd.add(a); // the same kernels as this JVM
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KillNineResumeTest.class.getName(),
                model.toString(), ckpt.toString(), out.toString(), Long.toString(sleepMs)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aSigkilledTrainingProcessResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        Path modelFile = TinyModels.write(tmp.resolve("tiny.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 5);
        Path ckpt = tmp.resolve("checkpoints"), out = tmp.resolve("out");
        Process p = child(modelFile, ckpt, out, 150, tmp.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        Path wanted = ckpt.resolve(String.format("checkpoint-%06d.gguf", 3 * EVERY));
        while (!Files.exists(wanted) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "the child ended before it could be killed: " + Files.readString(tmp.resolve("first.log")));
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by signal 9");
        assertTrue(!Files.exists(out.resolve("adapter.gguf")), "the first process never finished");
        List<String> left = names(ckpt);
        String last = left.stream().filter(n -> n.matches("checkpoint-\\d+\\.gguf")).reduce((a, b) -> b).orElseThrow();
        int stepAtKill = Integer.parseInt(last.replaceAll("\\D", ""));
        assertTrue(stepAtKill >= 3 * EVERY && stepAtKill < STEPS, "killed mid-run, last checkpoint " + left);

        Process again = child(modelFile, ckpt, out, 0, tmp.resolve("second.log"));
        assertTrue(again.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue(), Files.readString(tmp.resolve("second.log")));
        List<String> lines = Files.readAllLines(out.resolve("losses.txt"));
        int resumedAt = Integer.parseInt(lines.get(0).substring("resumedAt ".length()));
        assertEquals(stepAtKill, resumedAt, "resumed from the newest complete checkpoint");
        System.out.println("kill -9 of a training process: last checkpoint " + left + ", resumed at step " + resumedAt + " of " + STEPS);

        LocalModel model = LocalModel.load(modelFile, LocalModelOptions.builder().threads(2).build());
        TrainingResult whole = Trainer.train(model, DATA, config(null), null);
        List<Double> resumedLosses = lines.subList(1, lines.size()).stream().map(Double::parseDouble).toList();
        assertEquals(whole.losses().subList(resumedAt, STEPS), resumedLosses, "the resumed steps' losses, bit for bit");
        LoraAdapter resumed = LoraAdapter.load(out.resolve("adapter.gguf"));
        assertEquals(whole.adapter().tensors(), resumed.tensors(), "the final adapter, bit for bit");
        assertEquals(List.of(String.format("checkpoint-%06d.gguf", STEPS)), names(ckpt),
                "only the final checkpoint is left (older ones and a killed writer's temporary file are removed)");
    }
}
