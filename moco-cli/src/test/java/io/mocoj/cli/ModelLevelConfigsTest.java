package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyAdapters;
import io.mocoj.local.testing.TinyModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MoCo's example configs of the seven logit and weight methods, run with {@code ./moco -c}'s
 * entry point, with small random {@code gguf:} models in place of the Hugging Face ids: MoCo's
 * weight examples use LoRA adapters of one base ({@code gguf:base.gguf?lora=…}), its logit
 * examples two full models of one family, and {@code base_model_name} is a {@code gguf:} spec. The
 * task is the bundled demo task (short prompts that fit the tiny models), limited to 2 examples per split.
 */
class ModelLevelConfigsTest {
    @TempDir static Path dir;
    /** The tiny llama shape with an 8,192-token context, so that agieval_tiny's prompts fit (they fail loudly otherwise). */
    static final TinyModels.Shape LONG = new TinyModels.Shape("llama", 64, 2, 4, 2, 96, 40, 8192, false, 10000f);
    static String base, full1, full2, lora1, lora2, lora3, otherBaseLora;

    @BeforeAll
    static void models() throws IOException {
        Path b = TinyModels.write(dir.resolve("base.gguf"), LONG, GgmlType.Q8_0, 1);
        base = b.toString();
        full1 = TinyModels.write(dir.resolve("sft.gguf"), LONG, GgmlType.F32, 2).toString();
        full2 = TinyModels.write(dir.resolve("dpo.gguf"), LONG, GgmlType.Q8_0, 3).toString();
        LocalModel m = LocalModel.load(b, LocalModelOptions.builder().threads(1).build());
        for (int i = 0; i < 3; i++) TinyAdapters.random(m, "parti_" + i, 4, 8f, 10 + i).save(dir.resolve("parti_" + i + "_lora.gguf"));
        lora1 = "gguf:" + base + "?lora=" + dir.resolve("parti_0_lora.gguf");
        lora2 = "gguf:" + base + "?lora=" + dir.resolve("parti_1_lora.gguf");
        lora3 = "gguf:" + base + "?lora=" + dir.resolve("parti_2_lora.gguf");
        Path wide = TinyModels.write(dir.resolve("wide.gguf"), new TinyModels.Shape("llama", 96, 2, 4, 2, 96, 40, 8192, false, 10000f),
                GgmlType.F32, 4);
        TinyAdapters.random(LocalModel.load(wide, LocalModelOptions.builder().threads(1).build()), "wide", 2, 0, 5)
                .save(dir.resolve("wide_lora.gguf"));
        otherBaseLora = "gguf:" + base + "?lora=" + dir.resolve("wide_lora.gguf");
    }

    record Result(int code, String out, String err) {}

    static Result moco(String method, List<String> models, String extraHyperparameters) throws IOException {
        Path shared = Path.of(System.getProperty("mocoj.shared.data", "../../shared/moco-data"));
        // the demo task: its prompts fit the tiny models' context (agieval_tiny has prompts of 4,000+ tokens,
        // over the default 4,096-token context of merged candidates, and a model that cannot hold a prompt fails the run)
        boolean real = false;
        String task = real ? "agieval_tiny" : Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize().toString();
        StringBuilder names = new StringBuilder();
        for (String m : models) names.append(names.isEmpty() ? "" : ", ").append('"').append(m.replace("\\", "/")).append('"');
        String json = """
                {
                    "method": "%s",
                    "task": "%s",
                    "task_type": "multiple_choice",
                    "gpu_ids": [0,1,2],
                    "model_names": [%s],
                    "hyperparameters": {
                        "max_response_length": 32,
                        "temperature": 0.7,
                        "top_p": 0.9,
                        "batch_size": 32%s
                    }
                }
                """.formatted(method, task.replace("\\", "/"), names, extraHyperparameters);
        Path cfg = dir.resolve(method + ".json");
        Files.writeString(cfg, json);
        StringWriter out = new StringWriter(), err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("-c", cfg.toString(), "-l", dir.resolve("logs-" + method).toString(),
                "--limit", "2", "--progress", "none", "--no-baselines", "--cache-dir", dir.resolve("cache").toString()));
        if (real) args.addAll(List.of("--data-dir", shared.toString()));
        int code = MocoCli.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static void ranAndLogged(String method, Result r) throws IOException {
        assertEquals(0, r.code(), method + ": " + r.err() + r.out());
        try (Stream<Path> logs = Files.list(dir.resolve("logs-" + method))) {
            assertEquals(1, logs.filter(p -> p.toString().endsWith(".json")).count(), method + " writes one run log");
        }
        assertTrue(r.out().contains(method), r.out());
    }

    @Test
    void logitMethodsRunMoCosExampleConfigs() throws IOException {
        ranAndLogged("logit_logit_fusion", moco("logit_logit_fusion", List.of("gguf:" + full1, "gguf:" + full2), ""));
        ranAndLogged("logit_logit_contrastive", moco("logit_logit_contrastive", List.of("gguf:" + full1, "gguf:" + full2), ""));
    }

    @Test
    void weightMethodsRunMoCosExampleConfigsOnLoraAdapters() throws IOException {
        List<String> parti = List.of(lora1, lora2, lora3);
        ranAndLogged("weight_greedy_soup", moco("weight_greedy_soup", parti, ""));
        ranAndLogged("weight_dare_ties", moco("weight_dare_ties", parti, ",\n\"base_model_name\": \"gguf:" + base.replace("\\", "/") + "\""));
        ranAndLogged("weight_expo", moco("weight_expo", parti, ",\n\"mode\": \"worst_to_best\""));
        ranAndLogged("weight_model_swarms", moco("weight_model_swarms", parti, ",\n\"fast_merge_flag\": 1"));
        ranAndLogged("weight_lorahub", moco("weight_lorahub", parti, ",\n\"lorahub_dev_samples\": 100"));
    }

    @Test
    void badPoolsAreRefusedBeforeAnyWork() throws IOException {
        Result mixed = moco("weight_greedy_soup", List.of(lora1, "gguf:" + dir.resolve("wide.gguf")), "");
        assertEquals(2, mixed.code(), mixed.err());
        assertTrue(mixed.err().contains("token_embd.weight") || mixed.err().contains("blk.0"), mixed.err());
        Result noWeights = moco("weight_expo", List.of(lora1, "sim:plain?accuracy=0.5"), "");
        assertEquals(2, noWeights.code(), noWeights.err());
        assertTrue(noWeights.err().contains("WEIGHTS") && noWeights.err().contains("plain"), noWeights.err());
        Result foreign = moco("weight_lorahub", List.of(lora1, otherBaseLora), "");
        assertEquals(2, foreign.code(), foreign.err());
        assertTrue(foreign.err().contains("another base model"), foreign.err());
    }
}
