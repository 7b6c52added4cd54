package scratch;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.internal.BpeTrainer;
import io.mocoj.zoo.internal.RandomInit;
import io.mocoj.zoo.internal.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class Speed {
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        List<TrainingExample> rows = new ArrayList<>();
        for (Skill s : Skill.values()) rows.addAll(TrainingData.skill(s, 1, 300));
        rows.addAll(TrainingData.knowledge());
        List<String> corpus = new ArrayList<>();
        for (TrainingExample e : rows) { var c = (TrainingExample.Completion) e; corpus.add(c.prompt()); corpus.add(c.completion()); }
        corpus.add("user"); corpus.add("assistant");
        List<String> merges = BpeTrainer.train(corpus, Integer.parseInt(a[0]));
        System.out.println("merges " + merges.size() + " in " + (System.nanoTime() - t0) / 1e9);
        String tmpl = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        var md = BpeTrainer.metadata(merges, List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>"), tmpl, "<|im_end|>", "<|endoftext|>");
        int dim = Integer.parseInt(a[1]), layers = Integer.parseInt(a[2]);
        Path f = Path.of("/tmp/zoo/init.gguf");
        RandomInit.write(f, "zoo-init", new RandomInit.Shape(dim, layers, 4, 4, dim * 8 / 3 / 8 * 8, 256), md, 1);
        LocalModel m = LocalModel.load(f, LocalModelOptions.builder().threads(2).build());
        int tot = 0;
        for (TrainingExample e : rows) { var c = (TrainingExample.Completion) e; tot += m.encodeChat(List.of(io.mocoj.model.ChatMessage.user(c.prompt()), io.mocoj.model.ChatMessage.assistant(c.completion())), false).length; }
        System.out.println("rows " + rows.size() + " mean tokens " + tot / rows.size());
        java.util.Collections.shuffle(rows, new java.util.Random(1));
        int steps = Integer.parseInt(a[3]);
        long t1 = System.nanoTime();
        var cfg = TrainingConfig.builder().objective(TrainingObjective.SFT).fullFineTuning().steps(steps).learningRate(3e-3).warmupSteps(10)
                .batchTokens(Integer.parseInt(a[4])).microBatchTokens(Integer.parseInt(a[4])).threads(2).seed(1).build();
        var res = Trainer.train(m, rows, cfg, p -> { if (p.step() % 10 == 0) System.out.printf("step %d loss %.3f tok/s %.0f%n", p.step(), p.loss(), p.tokensPerSecond()); });
        System.out.println("train " + (System.nanoTime() - t1) / 1e9);
    }
}
