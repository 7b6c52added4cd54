package io.mocoj.examples;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.datasets.Datasets;
import io.mocoj.methods.Methods;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugs OpenAI-compatible servers in by URL (vLLM, llama.cpp server, Ollama's /v1, OpenAI) and runs
 * majority vote against each model alone on agieval_tiny.
 *
 * <pre>
 * examples/run OpenAiServerExample llamacpp:any@http://localhost:8080/v1 ollama:qwen2.5:3b openai:gpt-4o-mini
 * </pre>
 * Each argument is a model spec (docs/models.md); keys come from environment variables
 * ({@code OPENAI_API_KEY} by default, {@code ?key_env=NAME} to choose). Responses are cached in
 * {@code .moco-cache}, so a second run is free.
 */
public final class OpenAiServerExample {
    private OpenAiServerExample() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: OpenAiServerExample <model spec> [<model spec> ...], e.g. llamacpp:any@http://localhost:8080/v1");
            System.err.println(ModelSpecs.acceptedForms());
            System.exit(2);
        }
        Task task = Datasets.load("agieval_tiny");
        List<ModelEndpoint> pool = new ArrayList<>();
        for (String spec : args) pool.add(ModelSpecs.resolve(spec, SpecContext.of(task, 7)));
        RunReport report = MoCo.run()
                .models(pool)
                .method(Methods.majorityVote().tie(Tie.DEV_BASED))
                .task(task)
                .concurrency(16)
                .cacheDir(Path.of(".moco-cache"))
                .logDir(Path.of("logs"))
                .baselines(true)
                .execute();
        System.out.println(report.toTable());
    }
}
