package io.mocoj.local.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.local.train.LoraConfig;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training speed of moco-local on a random-weight model of SmolLM2-135M's shape: SFT steps of
 * 4096 tokens (16 sequences of about 256 tokens, micro-batches of 1024), LoRA rank 16 on all seven
 * projections or full fine-tuning. Compare with {@code tools/torch-reference/train_bench.py}.
 *
 * <pre>
 * java -Xmx8g --add-modules jdk.incubator.vector -cp ... io.mocoj.local.bench.TrainBenchmark --mode lora|full [--threads 2] [--steps 2] [--batch-tokens 4096] [--dir folder]
 * </pre>
 * Prints one line per step (seconds, tokens/s) and the peak RSS; the first step includes JIT warm-up.
 */
public final class TrainBenchmark {
    public static void main(String[] args) throws Exception {
        String mode = "lora";
        int threads = 2, steps = 2, batchTokens = 4096;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mocoj-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--batch-tokens" -> batchTokens = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("smollm2-shape-f32.gguf");
        if (!Files.exists(file)) TinyModels.write(file, TinyModels.Shape.smolLm2(), GgmlType.F32, 1);
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(threads).build());
        Random r = new Random(5);
        List<TrainingExample> data = new ArrayList<>();
        for (int i = 0; i < batchTokens / 256 * steps; i++) {
            StringBuilder c = new StringBuilder();
            while (model.encodeChat(List.of(io.mocoj.model.ChatMessage.user("q" + i), io.mocoj.model.ChatMessage.assistant(c.toString())), false).length < 256) {
                c.append((char) ('a' + r.nextInt(26)));
            }
            data.add(new TrainingExample.Completion("q" + i, c.toString()));
        }
        TrainingConfig.Builder b = TrainingConfig.builder().objective(TrainingObjective.SFT).steps(steps).batchTokens(batchTokens)
                .microBatchTokens(1024).threads(threads).seed(1);
        b = mode.equals("full") ? b.fullFineTuning() : b.lora(LoraConfig.of(16).withDropout(0));
        long[] last = {System.nanoTime()};
        int bt = batchTokens;
        Trainer.train(model, data, b.build(), (TrainingProgress p) -> {
            long now = System.nanoTime();
            System.out.printf("step %d: %.1f s, %.1f tokens/s (%d-token batch)%n", p.step(), (now - last[0]) / 1e9, bt / ((now - last[0]) / 1e9), bt);
            last[0] = now;
        });
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("?");
        System.out.println("mode " + mode + " threads " + threads + " peak RSS " + rss.replaceAll("\\s+", " "));
    }
}
