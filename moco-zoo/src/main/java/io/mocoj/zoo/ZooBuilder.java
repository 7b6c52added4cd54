package io.mocoj.zoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.train.LoraConfig;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.local.train.TrainingResult;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.zoo.ZooRecipe.Kind;
import io.mocoj.zoo.ZooRecipe.ModelRecipe;
import io.mocoj.zoo.formats.AggregationPicks;
import io.mocoj.zoo.formats.Format;
import io.mocoj.zoo.formats.FormatRows;
import io.mocoj.zoo.internal.BpeTrainer;
import io.mocoj.zoo.internal.RandomInit;
import io.mocoj.zoo.internal.TrainingData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the zoo: learns the shared BPE tokenizer from the training rows, pretrains Llama-architecture
 * models from random initial weights (full fine-tuning of a freshly initialised GGUF with
 * moco-local's trainer, SFT on the mixture of all skills), fine-tunes specialists and LoRA adapters
 * from them, a team model fine-tuned on the text methods' prompt formats, and writes every model as F32 GGUF plus {@code zoo.json} (the manifest). Everything is
 * seeded and the trainer is deterministic for a fixed thread count, so two builds of the same
 * recipe are byte-identical. Each finished model leaves {@code .NAME.done} (its recipe, the
 * tokenizer's hash, its losses): a build interrupted or run again into the same folder reuses the
 * models whose recipe is unchanged and trains the rest.
 */
public final class ZooBuilder {
    /** The shared chat template (ChatML). */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
            + " + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    /** The shared special tokens. */
    public static final List<String> SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
    /** The manifest's file name. */
    public static final String MANIFEST = "zoo.json";

    /** The context length of every zoo model (room for the text methods' longer prompts: shown answers, feedback, candidates). */
    public static final int CONTEXT = 512;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ZooBuilder() {}

    /** Builds {@code recipe} into {@code out} (created if needed; existing zoo files are overwritten) and returns the manifest. */
    public static Map<String, Object> build(Path out, ZooRecipe recipe, Consumer<String> log) {
        try {
            Files.createDirectories(out);
            Path work = Files.createTempDirectory(out, ".zoo-build");
            try {
                return run(out, work, recipe, log);
            } finally {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                }
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("zoo build into " + out + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Trains one model of {@code recipe} into the built zoo {@code dir}, from its parent there (the
     * other files are left as they are), and adds or replaces its entry in the manifest; returns the
     * manifest. This is how a model added to the recipe joins an existing build without rebuilding
     * the rest (its key is the recipe line and the tokenizer; its parent is taken as it is in {@code dir}).
     */
    public static Map<String, Object> add(Path dir, ZooRecipe recipe, String name, Consumer<String> log) {
        ModelRecipe m = recipe.models().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the recipe has no model '" + name + "'"));
        if (m.parent() == null) throw new IllegalArgumentException(name + " is pretrained: build the zoo instead");
        try {
            Path work = Files.createTempDirectory(dir, ".zoo-add");
            try {
                List<TrainingExample> mixture = m.replay() > 0 ? mixture(recipe) : List.of(); // the tokenizer is the parent's
                Path file = dir.resolve(m.name() + ".gguf");
                long t0 = System.nanoTime();
                double[] losses = train(dir, work, m, recipe, null, mixture, file, log);
                log.accept(String.format("%-11s loss %.3f -> %.3f  %d steps  %.0f s", m.name(), losses[0], losses[1], m.steps(), (System.nanoTime() - t0) / 1e9));
                @SuppressWarnings("unchecked")
                Map<String, Object> manifest = JSON.readValue(dir.resolve(MANIFEST).toFile(), LinkedHashMap.class);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> entries = new ArrayList<>((List<Map<String, Object>>) manifest.get("models"));
                entries.removeIf(x -> name.equals(x.get("name")));
                entries.add(entry(m, losses, file));
                manifest.put("models", entries);
                Files.writeString(dir.resolve(MANIFEST), JSON.writeValueAsString(manifest) + "\n");
                return manifest;
            } finally {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                }
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("adding " + name + " to the zoo in " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> run(Path out, Path work, ZooRecipe recipe, Consumer<String> log) throws IOException {
        List<TrainingExample> mixture = mixture(recipe);
        List<String> merges = merges(recipe, mixture);
        Map<String, Object> tokenizer = BpeTrainer.metadata(merges, SPECIALS, CHAT_TEMPLATE, "<|im_end|>", "<|endoftext|>");
        log.accept("tokenizer: " + (256 + merges.size() + SPECIALS.size()) + " tokens (" + merges.size() + " merges), "
                + mixture.size() + " pretraining rows");

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "mocoj-zoo/1");
        manifest.put("tokenizer_tokens", 256 + merges.size() + SPECIALS.size());
        List<Map<String, Object>> entries = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (ModelRecipe m : recipe.models()) {
            long t0 = System.nanoTime();
            Path file = out.resolve(m.name() + ".gguf");
            Path done = out.resolve("." + m.name() + ".done");
            String key = key(recipe, m, merges, keys.get(m.parent()));
            keys.put(m.name(), key);
            double[] losses = reused(file, done, key);
            if (losses != null) {
                log.accept(m.name() + ": reusing " + file + " (finished by an earlier run of the same recipe)");
            } else {
                losses = train(out, work, m, recipe, tokenizer, mixture, file, log);
                Files.writeString(done, key + "\n" + losses[0] + "\n" + losses[1] + "\n");
            }
            Map<String, Object> e = entry(m, losses, file);
            entries.add(e);
            log.accept(String.format("%-11s %-10s loss %.3f -> %.3f  %d steps  %.0f s", m.name(), e.get("kind"), losses[0],
                    losses[1], m.steps(), (System.nanoTime() - t0) / 1e9));
        }
        manifest.put("models", entries);
        Files.writeString(out.resolve(MANIFEST), JSON.writeValueAsString(manifest) + "\n");
        return manifest;
    }

    /** The manifest entry of a built model. */
    private static Map<String, Object> entry(ModelRecipe m, double[] losses, Path file) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", m.name());
        e.put("kind", m.kind().name().toLowerCase());
        if (m.parent() != null) e.put("parent", m.parent());
        if (m.skill() != null) e.put("skill", m.skill().taskName());
        if (m.kind() == Kind.TEAM) e.put("formats", java.util.Arrays.stream(Format.values()).map(f -> f.name().toLowerCase()).toList());
        if (m.kind() == Kind.AGGREGATOR) e.put("formats", List.of("aggregation_pick"));
        if (m.kind() == Kind.PRETRAINED) {
            Map<String, Object> shape = new LinkedHashMap<>();
            shape.put("dim", m.dim());
            shape.put("layers", m.layers());
            shape.put("heads", 4);
            shape.put("ffn", ffn(m.dim()));
            e.put("shape", shape);
        }
        e.put("steps", m.steps());
        e.put("tokens_per_step", m.batchTokens());
        e.put("first_loss", round(losses[0]));
        e.put("last_loss", round(losses[1]));
        e.put("bytes", Files.size(file));
        e.put("sha256", sha256(file));
        e.put("note", m.note());
        return e;
    }

    /** The pretraining rows: every skill, the knowledge base, harmless requests. */
    static List<TrainingExample> mixture(ZooRecipe recipe) {
        List<TrainingExample> mixture = new ArrayList<>();
        for (Skill s : Skill.values()) mixture.addAll(TrainingData.skill(s, 1, recipe.rowsPerSkill()));
        int repeat = Math.max(1, recipe.rowsPerSkill() / 100);
        for (int i = 0; i < repeat; i++) mixture.addAll(TrainingData.knowledge());
        mixture.addAll(TrainingData.allowedRequests(1, Math.max(1, recipe.rowsPerSkill() / 5)));
        return mixture;
    }

    /** The shared tokenizer's merges, learnt from the pretraining rows. */
    static List<String> merges(ZooRecipe recipe, List<TrainingExample> mixture) {
        List<String> corpus = new ArrayList<>(List.of("system", "user", "assistant"));
        for (TrainingExample e : mixture) {
            TrainingExample.Completion c = (TrainingExample.Completion) e;
            corpus.add(c.prompt());
            corpus.add(c.completion());
        }
        return BpeTrainer.train(corpus, recipe.merges());
    }

    /** What decides a model's file: its recipe, the threads, the tokenizer, the data size and its parent's key (null for none). */
    static String key(ZooRecipe recipe, ModelRecipe m, List<String> merges, String parentKey) {
        String own = m + " threads=" + recipe.threads() + " tokenizer=" + sha256(String.join("\n", merges).getBytes(StandardCharsets.UTF_8))
                + " rows=" + recipe.rowsPerSkill();
        return parentKey == null ? own : own + " parent=" + sha256(parentKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The first and last loss of a model an interrupted build of the same recipe finished, else null. */
    private static double[] reused(Path file, Path done, String key) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isRegularFile(done)) return null;
        List<String> lines = Files.readAllLines(done);
        if (lines.size() < 3 || !lines.get(0).equals(key)) return null;
        return new double[] {Double.parseDouble(lines.get(1)), Double.parseDouble(lines.get(2))};
    }

    /** Trains one model and writes it to {@code file}; returns its first and last loss. */
    private static double[] train(Path out, Path work, ModelRecipe m, ZooRecipe recipe, Map<String, Object> tokenizer,
                                  List<TrainingExample> mixture, Path file, Consumer<String> log) throws IOException {
        LocalModelOptions opts = LocalModelOptions.builder().threads(recipe.threads()).name(m.name()).build();
        TrainingConfig.Builder cfg = TrainingConfig.builder().objective(TrainingObjective.SFT).steps(m.steps())
                .learningRate(m.learningRate()).warmupSteps(Math.max(1, m.steps() / 10)).batchTokens(m.batchTokens())
                .microBatchTokens(m.batchTokens()).threads(recipe.threads()).seed(m.seed()).weightDecay(0.0);
        LocalModel start;
        List<TrainingExample> rows;
        if (m.kind() == Kind.PRETRAINED) {
            Path init = work.resolve(m.name() + "-init.gguf");
            RandomInit.write(init, m.name(), new RandomInit.Shape(m.dim(), m.layers(), 4, 4, ffn(m.dim()), CONTEXT), tokenizer, m.seed());
            start = LocalModel.load(init, opts);
            rows = TrainingData.mix(m.seed(), mixture);
        } else if (m.kind() == Kind.TEAM) {
            start = LocalModel.load(out.resolve(m.parent() + ".gguf"), opts);
            int n = Math.max(Format.values().length, m.steps() * m.batchTokens() / 200);
            List<TrainingExample> formats = FormatRows.fit(FormatRows.mixture(m.seed(), n / Format.values().length), start);
            rows = TrainingData.mix(m.seed(), formats, replay(mixture, m.seed(), (int) (formats.size() * m.replay())));
        } else if (m.kind() == Kind.AGGREGATOR) {
            start = LocalModel.load(out.resolve(m.parent() + ".gguf"), opts);
            int n = Math.max(AggregationPicks.SKILLS.size(), m.steps() * m.batchTokens() / 250);
            rows = FormatRows.fit(AggregationPicks.rows(m.seed(), n / AggregationPicks.SKILLS.size()), start);
        } else {
            start = LocalModel.load(out.resolve(m.parent() + ".gguf"), opts);
            int n = Math.max(50, m.steps() * m.batchTokens() / 40);
            rows = TrainingData.mix(m.seed(), TrainingData.skill(m.skill(), m.seed(), n), replay(mixture, m.seed(), (int) (n * m.replay())));
        }
        if (m.kind() == Kind.LORA) cfg.lora(LoraConfig.of(8).withAlpha(16));
        else cfg.fullFineTuning();
        int every = Math.max(1, m.steps() / 5);
        TrainingResult res = Trainer.train(start, rows, cfg.build(), p -> {
            if (p.step() % every == 0) log.accept(String.format("  %s step %d/%d loss %.3f", m.name(), p.step(), p.totalSteps(), p.loss()));
        });
        if (m.kind() == Kind.LORA) res.adapter().save(file);
        else res.model().save(file, GgmlType.F32);
        List<Double> l = res.losses();
        return new double[] {round(l.get(0)), round(l.get(l.size() - 1))};
    }

    /** {@code n} rows of the pretraining mixture, a seeded sample (what a specialist keeps seeing of the other skills). */
    private static List<TrainingExample> replay(List<TrainingExample> mixture, long seed, int n) {
        List<TrainingExample> shuffled = TrainingData.mix(seed * 13 + 5, mixture);
        return shuffled.subList(0, Math.min(n, shuffled.size()));
    }

    private static int ffn(int dim) { return (dim * 8 / 3 + 7) / 8 * 8; }

    private static double round(double v) { return Math.round(v * 1e3) / 1e3; }

    static String sha256(Path file) throws IOException { return sha256(Files.readAllBytes(file)); }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
