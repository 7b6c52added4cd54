package io.mocoj.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mocoj.method.GenerationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A MoCo JSON run configuration ({@code method}, {@code task}, {@code task_type}, {@code gpu_ids},
 * {@code model_names}, {@code hyperparameters}), parsed and checked for shape. {@code //} and
 * {@code /* *}{@code /} comments and trailing commas are tolerated, as in MoCo's published examples.
 *
 * <p>MoCo-J also reads these optional top-level keys: {@code seed}, {@code limit},
 * {@code concurrency}, {@code baselines} (default true), {@code data_dir}, {@code cache_dir},
 * {@code model_descriptions} is read from hyperparameters as in MoCo; {@code judge_model} (a model
 * spec, or an object of specs by task type, e.g. {@code {"reward_model": "...", "default": "..."}}),
 * {@code embedding_model} (the embedding model of generation_diversity), {@code on_model_failure}
 * ({@code "stop"}, the default, or {@code "continue"}) and {@code preflight} (default true).
 *
 * @param source          the file it came from (for messages), or null
 * @param method          the method name
 * @param task            the task name, or a path to a MoCo-format data file (relative to the config file)
 * @param taskType        the declared task type, if any
 * @param modelNames      model specs
 * @param hyperparameters every hyperparameter as parsed JSON values (shared generation settings included)
 * @param settings        the shared generation settings read from hyperparameters
 * @param tasks           every task of the config: {@code "task"} may be a list ({@code ["gsm8k", "mmlu_redux"]}) for a
 *                        suite run; {@link #task()} is then the first
 * @param numFewshot      {@code num_fewshot}: solved dev examples before each prompt (absent: zero-shot)
 * @param judgeModels     judge model specs by task type config name; key "default" for every type
 * @param raw             the whole config as parsed, for the run log
 */
public record MocoConfig(Path source, String method, String task, Optional<String> taskType, List<String> modelNames,
                         Map<String, Object> hyperparameters, GenerationSettings settings, Optional<Long> seed,
                         Optional<Integer> limit, Optional<Integer> concurrency, boolean baselines,
                         Optional<String> dataDir, Optional<String> cacheDir, List<String> warnings,
                         List<String> tasks, Optional<Integer> numFewshot,
                         Map<String, String> judgeModels, Optional<String> embeddingModel, Optional<String> onModelFailure,
                         Optional<Boolean> preflight, Map<String, Object> raw) {

    public MocoConfig {
        tasks = tasks == null || tasks.isEmpty() ? List.of(task) : List.copyOf(tasks);
        numFewshot = numFewshot == null ? Optional.empty() : numFewshot;
        judgeModels = judgeModels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(judgeModels));
        embeddingModel = embeddingModel == null ? Optional.empty() : embeddingModel;
        onModelFailure = onModelFailure == null ? Optional.empty() : onModelFailure;
        preflight = preflight == null ? Optional.empty() : preflight;
    }

    /** A config with one task and no few-shot setting. */
    public MocoConfig(Path source, String method, String task, Optional<String> taskType, List<String> modelNames,
                      Map<String, Object> hyperparameters, GenerationSettings settings, Optional<Long> seed,
                      Optional<Integer> limit, Optional<Integer> concurrency, boolean baselines,
                      Optional<String> dataDir, Optional<String> cacheDir, List<String> warnings) {
        this(source, method, task, taskType, modelNames, hyperparameters, settings, seed, limit, concurrency, baselines,
                dataDir, cacheDir, warnings, List.of(task), Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), null);
    }

    /** Whether {@code "task"} lists several tasks. */
    public boolean isSuite() { return tasks.size() > 1; }

    /** The same config for one of its tasks. */
    public MocoConfig forTask(String oneTask) {
        return new MocoConfig(source, method, oneTask, taskType, modelNames, hyperparameters, settings, seed, limit, concurrency,
                baselines, dataDir, cacheDir, warnings, List.of(oneTask), numFewshot, judgeModels, embeddingModel, onModelFailure,
                preflight, raw);
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final List<String> KNOWN = List.of("method", "task", "task_type", "gpu_ids", "model_names",
            "hyperparameters", "seed", "limit", "concurrency", "baselines", "data_dir", "cache_dir", "num_fewshot",
            "judge_model", "embedding_model", "on_model_failure", "preflight");

    /** Largest config file read (a config is a few hundred bytes; this refuses a device or a wrong file quickly). */
    public static final long MAX_BYTES = 1 << 20;

    /**
     * Reads and checks a config file. Only a regular file (or a link to one) of at most
     * {@value #MAX_BYTES} bytes of UTF-8 text is read: a folder, a device ({@code /dev/zero}), a
     * named pipe or a socket is refused by what it is, before anything is opened.
     */
    public static MocoConfig read(Path file) {
        String kind = PathKind.of(file);
        if (!kind.equals(PathKind.REGULAR_FILE)) {
            throw new ConfigException("config file " + file + (kind.equals(PathKind.MISSING) ? " does not exist"
                    : " is " + kind + ", not a regular file") + "; give the path of a MoCo JSON config file");
        }
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + io.mocoj.internal.engine.Problems.describe(e), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException("config file " + file + " is larger than " + (MAX_BYTES >> 20) + " MiB; a MoCo config is a small"
                    + " JSON object (is this the right file?)");
        }
        return parse(Utf8.decode(bytes, "config file " + file), file);
    }

    /** Parses config text; {@code source} is used in messages and to resolve relative paths. */
    public static MocoConfig parse(String text, Path source) {
        String where = source == null ? "config" : source.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException(where + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ConfigException(where + ": expected a JSON object at the top level");
        List<String> warnings = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (!KNOWN.contains(k)) warnings.add(where + ": unknown key '" + k + "' is ignored (known keys: " + String.join(", ", KNOWN) + ")");
        });
        String method = requireText(root, "method", where);
        List<String> tasks = new ArrayList<>();
        JsonNode taskNode = root.get("task");
        if (taskNode != null && taskNode.isArray()) {
            if (taskNode.isEmpty()) throw new ConfigException(where + ": \"task\" is an empty list; give a task name or a list of them");
            for (int i = 0; i < taskNode.size(); i++) {
                JsonNode t = taskNode.get(i);
                if (!t.isTextual() || t.asText().isBlank()) throw new ConfigException(where + ": task[" + i + "] must be a non-empty string, found " + t);
                if (tasks.contains(t.asText())) throw new ConfigException(where + ": task[" + i + "] \"" + t.asText() + "\" is listed twice");
                tasks.add(t.asText());
            }
        }
        String task = tasks.isEmpty() ? requireText(root, "task", where) : tasks.get(0);
        Optional<String> taskType = optionalText(root, "task_type", where);
        JsonNode names = root.get("model_names");
        if (names == null) throw new ConfigException(where + ": missing \"model_names\" (a list of model specs, e.g. [\"sim:a?accuracy=0.6\"])");
        if (!names.isArray() || names.isEmpty()) throw new ConfigException(where + ": \"model_names\" must be a non-empty list of model specs");
        List<String> models = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isTextual()) throw new ConfigException(where + ": model_names[" + i + "] must be a string, found " + names.get(i));
            models.add(names.get(i).asText());
        }
        JsonNode gpu = root.get("gpu_ids");
        if (gpu != null && !gpu.isArray()) throw new ConfigException(where + ": \"gpu_ids\" must be a list (it is accepted and ignored)");
        JsonNode hp = root.get("hyperparameters");
        if (hp != null && !hp.isObject()) throw new ConfigException(where + ": \"hyperparameters\" must be an object");
        Map<String, Object> hyper = new LinkedHashMap<>();
        if (hp != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = MAPPER.convertValue(hp, Map.class);
            hyper.putAll(m);
        }
        GenerationSettings d = GenerationSettings.DEFAULTS;
        GenerationSettings settings;
        try {
            settings = new GenerationSettings(
                    intValue(hyper, "max_response_length", d.maxResponseLength(), where),
                    doubleValue(hyper, "temperature", d.temperature(), where),
                    doubleValue(hyper, "top_p", d.topP(), where),
                    intValue(hyper, "batch_size", d.batchSize(), where),
                    root.has("seed") ? longValue(root.get("seed"), "seed", where) : d.seed());
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) throw e;
            throw new ConfigException(where + ": hyperparameters: " + e.getMessage(), e);
        }
        Optional<Long> seed = root.has("seed") ? Optional.of(longValue(root.get("seed"), "seed", where)) : Optional.empty();
        Optional<Integer> limit = root.has("limit") ? Optional.of(positiveInt(root.get("limit"), "limit", where, true)) : Optional.empty();
        Optional<Integer> conc = root.has("concurrency") ? Optional.of(positiveInt(root.get("concurrency"), "concurrency", where, false)) : Optional.empty();
        boolean baselines = true;
        if (root.has("baselines")) {
            if (!root.get("baselines").isBoolean()) throw new ConfigException(where + ": \"baselines\" must be true or false");
            baselines = root.get("baselines").asBoolean();
        }
        Map<String, String> judges = new LinkedHashMap<>();
        JsonNode judge = root.get("judge_model");
        if (judge != null && judge.isTextual()) {
            judges.put("default", judge.asText());
        } else if (judge != null && judge.isObject()) {
            judge.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new ConfigException(where + ": judge_model." + e.getKey() + " must be a model spec string, found " + e.getValue());
                }
                judges.put(e.getKey(), e.getValue().asText());
            });
        } else if (judge != null && !judge.isNull()) {
            throw new ConfigException(where + ": \"judge_model\" must be a model spec (e.g. \"openai:gpt-4o-mini\") or an object of"
                    + " specs by task type (e.g. {\"reward_model\": \"...\", \"default\": \"...\"}), found " + judge);
        }
        Optional<String> failure = optionalText(root, "on_model_failure", where);
        if (failure.isPresent() && !List.of("stop", "continue").contains(failure.get())) {
            throw new ConfigException(where + ": \"on_model_failure\" must be \"stop\" or \"continue\", found \"" + failure.get() + "\"");
        }
        Optional<Boolean> preflight = Optional.empty();
        if (root.has("preflight")) {
            if (!root.get("preflight").isBoolean()) throw new ConfigException(where + ": \"preflight\" must be true or false");
            preflight = Optional.of(root.get("preflight").asBoolean());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = MAPPER.convertValue(root, Map.class);
        Optional<Integer> fewshot = root.has("num_fewshot") ? Optional.of(positiveInt(root.get("num_fewshot"), "num_fewshot", where, true))
                : Optional.empty();
        return new MocoConfig(source, method, task, taskType, models, hyper, settings, seed, limit, conc, baselines,
                optionalText(root, "data_dir", where), optionalText(root, "cache_dir", where), warnings, tasks, fewshot,
                judges, optionalText(root, "embedding_model", where), failure, preflight, raw);
    }

    /** Resolves a path written in the config relative to the config file's folder. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || source == null) return p;
        Path parent = source.toAbsolutePath().getParent();
        return parent == null ? p : parent.resolve(p);
    }

    /** Whether {@code task} names a data file rather than a dataset. */
    public boolean taskIsFile() {
        return task.endsWith(".json") || task.endsWith(".jsonl") || task.contains("/") || task.contains("\\");
    }

    private static String requireText(JsonNode root, String key, String where) {
        JsonNode n = root.get(key);
        if (n == null) throw new ConfigException(where + ": missing \"" + key + "\"");
        if (!n.isTextual() || n.asText().isBlank()) throw new ConfigException(where + ": \"" + key + "\" must be a non-empty string, found " + n);
        return n.asText();
    }

    private static Optional<String> optionalText(JsonNode root, String key, String where) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return Optional.empty();
        if (!n.isTextual()) throw new ConfigException(where + ": \"" + key + "\" must be a string, found " + n);
        return Optional.of(n.asText());
    }

    private static int intValue(Map<String, Object> hp, String key, int def, String where) {
        Object v = hp.get(key);
        if (v == null) return def;
        return ExactNumbers.toInt(v, 1, Integer.MAX_VALUE, where + ": hyperparameters." + key);
    }

    private static double doubleValue(Map<String, Object> hp, String key, double def, String where) {
        Object v = hp.get(key);
        if (v == null) return def;
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
        throw new ConfigException(where + ": hyperparameters." + key + " must be a " + (v instanceof Number ? "finite " : "")
                + "number, found " + render(v));
    }

    private static long longValue(JsonNode n, String key, String where) {
        return ExactNumbers.toLong(jsonNumber(n), Long.MIN_VALUE, Long.MAX_VALUE, where + ": \"" + key + "\"");
    }

    private static int positiveInt(JsonNode n, String key, String where, boolean zeroOk) {
        return ExactNumbers.toInt(jsonNumber(n), zeroOk ? 0 : 1, Integer.MAX_VALUE, where + ": \"" + key + "\"");
    }

    private static Object jsonNumber(JsonNode n) {
        if (n.isNumber()) return n.numberValue();
        return n.isTextual() ? n.asText() : n.toString();
    }

    private static String render(Object v) { return v instanceof String s ? "\"" + Quoted.cap(s) + "\"" : Quoted.cap(String.valueOf(v)); }
}
