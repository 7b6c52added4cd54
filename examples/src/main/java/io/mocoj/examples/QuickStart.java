package io.mocoj.examples;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.datasets.Datasets;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.methods.Methods;
import io.mocoj.methods.api.CascadeMode;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * Quick start with the builder API: majority vote, cascade and prompt routing against every single
 * model, on the bundled demo dataset and three SIMULATED models (no key, no server). Swap the
 * simulated models for real ones (see {@link OpenAiServerExample}) to run it for real.
 *
 * <p>Run: {@code examples/run QuickStart} (from the repository root; finds a JDK 21+ like {@code ./moco})
 */
public final class QuickStart {
    private QuickStart() {}

    public static void main(String[] args) {
        Task task = Datasets.custom("demo_mcq").fromJson(Path.of(args.length > 0 ? args[0] : "examples/configs/data/demo_mcq.json"));

        // Three simulated models: a generalist and two specialists (accuracies per domain).
        ModelEndpoint generalist = SimulatedModel.builder(task).name("generalist").accuracy(0.6).seed(1).build();
        ModelEndpoint mathy = SimulatedModel.builder(task).name("mathy").accuracy(0.45)
                .groupAccuracy("arithmetic", 0.95).groupAccuracy("sequences", 0.95).routingSkill(0.9).seed(2).build();
        ModelEndpoint wordy = SimulatedModel.builder(task).name("wordy").accuracy(0.45)
                .groupAccuracy("word_problems", 0.95).groupAccuracy("logic", 0.95).routingSkill(0.9).seed(3).build();
        List<ModelEndpoint> pool = List.of(generalist, mathy, wordy);

        List<CollaborationMethod> methods = List.of(
                Methods.majorityVote().tie(Tie.DEV_BASED),
                Methods.cascade().mode(CascadeMode.LOGIT).percentage(0.5),
                Methods.promptRouting().modelDescriptions(List.of(
                        "generalist: decent at everything",
                        "mathy: an expert in arithmetic and sequences",
                        "wordy: an expert in word_problems and logic")));

        for (CollaborationMethod method : methods) {
            RunReport report = MoCo.run()
                    .models(pool)
                    .method(method)
                    .task(task)
                    .concurrency(32)
                    .seed(7)
                    .baselines(true)
                    .execute();
            System.out.println(report.toTable());
        }
    }
}
