package scratch;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.train.TrainingObjective;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.ZooEvaluation;
import io.mocoj.zoo.internal.TrainingData;
import io.mocoj.eval.Aggregation;
import java.nio.file.Path;

public class Spec {
    public static void main(String[] a) {
        LocalModel base = LocalModel.load(Path.of(a[0]), LocalModelOptions.builder().threads(2).build());
        Skill s = Skill.find(a[1]).orElseThrow();
        int steps = Integer.parseInt(a[2]);
        double lr = Double.parseDouble(a[3]);
        var rows = TrainingData.skill(s, 9, steps * 4096 / 40);
        long t0 = System.nanoTime();
        var cfg = TrainingConfig.builder().objective(TrainingObjective.SFT).fullFineTuning().steps(steps).learningRate(lr).warmupSteps(steps / 10)
                .batchTokens(4096).microBatchTokens(4096).threads(2).seed(3).weightDecay(0).build();
        var res = Trainer.train(base, rows, cfg, p -> { if (p.step() % 25 == 0) System.out.printf("step %d loss %.3f%n", p.step(), p.loss()); });
        System.out.println("train s " + (System.nanoTime() - t0) / 1e9);
        var m = res.model(); m.save(Path.of("/tmp/zoo/spec-" + a[1] + ".gguf"), io.mocoj.local.gguf.GgmlType.F32);
        System.out.println(s + " acc " + Aggregation.defaults().mean(ZooEvaluation.score(m, SkillTasks.task(s).limit(100))));
    }
}
