package io.mocoj.internal.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.ProgressEvent;
import io.mocoj.ProgressListener;
import io.mocoj.method.FineTuned;
import io.mocoj.method.Trace;
import io.mocoj.model.AdapterModel;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainableModel;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of {@link io.mocoj.method.MethodContext#fineTune}: one directory per training
 * purpose under the run's training root, progress events, the manifest and the trace record.
 */
final class TrainingRuns {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Path root;
    private final String method;
    private final Map<String, Object> hyperparameters;
    private final String task;
    private final long runSeed;
    private final ProgressListener listener;
    private final Map<String, String> fileHashes = new ConcurrentHashMap<>();

    private TrainingRuns(Path root, String method, Map<String, Object> hyperparameters, String task, long runSeed, ProgressListener listener) {
        this.root = root;
        this.method = method;
        this.hyperparameters = hyperparameters;
        this.task = task;
        this.runSeed = runSeed;
        this.listener = listener;
    }

    /**
     * The training root of a run: {@code LOGDIR/training/TASK-METHOD-HASH} where the hash covers
     * method, hyperparameters, pool, task and seed (so the same run finds its checkpoints again),
     * or a fresh temporary directory when the run has no log directory.
     */
    static TrainingRuns of(Runner.Plan plan) {
        String method = plan.method().name();
        Map<String, Object> hp = plan.method().hyperparameters().asMap();
        List<String> pool = plan.models().stream().map(ModelEndpoint::identity).toList();
        String key = method + "\n" + hp + "\n" + pool + "\n" + plan.task().name() + "\n" + plan.settings().seed();
        Path root = plan.logDir() == null ? null : plan.logDir().resolve("training").resolve(RunLogWriter.safe(plan.task().name())
                + "-" + RunLogWriter.safe(method) + "-" + sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 12));
        return new TrainingRuns(root, method, hp, plan.task().name(), plan.settings().seed(), plan.listener());
    }

    FineTuned fineTune(ModelEndpoint model, String purpose, FineTuneRequest request, Trace trace) {
        if (!(model instanceof TrainableModel trainable) || !model.has(Capability.TRAIN)) {
            throw new IllegalArgumentException("method " + method + " fine-tunes model '" + model.name() + "' (" + purpose
                    + "), which cannot train (no capability TRAIN): use a gguf: model, or an openai-ft: model for SFT/DPO");
        }
        Path dir = root().resolve(RunLogWriter.safe(purpose));
        try {
            Files.createDirectories(dir);
            writeRows(dir.resolve("data.jsonl"), request.examples());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training files into " + dir + ": " + e.getMessage(), e);
        }
        List<Double> losses = new ArrayList<>();
        Map<String, List<Double>> metrics = new java.util.TreeMap<>();
        TrainingProgress[] last = new TrainingProgress[1];
        long start = System.nanoTime();
        FineTuneRequest r = request.withOutput(dir, p -> {
            synchronized (losses) {
                losses.add(p.loss());
                p.metrics().forEach((k, v) -> metrics.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                last[0] = p;
            }
            listener.onEvent(new ProgressEvent.TrainingStep(model.name(), purpose, p.step(), p.totalSteps(), p.loss(), p.eta(), p.metrics()));
            if (p.step() == p.totalSteps() || p.step() % 10 == 0) {
                LOG.info("{} {}: step {}/{} loss {}", method, purpose, p.step(), p.totalSteps(), String.format(Locale.ROOT, "%.4f", p.loss()));
            }
        });
        ModelEndpoint trained = trainable.fineTune(r);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        TrainingProgress end = last[0];
        long tokens = end == null || !Double.isFinite(end.tokensPerSecond()) ? 0
                : Math.round(end.tokensPerSecond() * elapsed.toNanos() / 1e9);
        Path adapter = dir.resolve("adapter.gguf"), full = dir.resolve("model.gguf");
        String base = baseFile(model);
        String spec = base == null ? null
                : Files.exists(adapter) ? "gguf:" + base + "?lora=" + adapter.toAbsolutePath().normalize()
                : Files.exists(full) ? "gguf:" + full.toAbsolutePath().normalize() : null;
        writeManifest(dir, model, purpose, request, base, spec, losses, tokens, elapsed, Files.exists(adapter) ? "adapter.gguf"
                : Files.exists(full) ? "model.gguf" : null);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("model", model.name());
        t.put("objective", request.objective().name().toLowerCase(Locale.ROOT));
        t.put("rows", request.examples().size());
        t.put("steps", losses.size());
        t.put("losses", List.copyOf(losses));
        metrics.forEach((k, v) -> t.put(k + "_per_step", List.copyOf(v)));
        t.put("tokens", tokens);
        t.put("elapsed_ms", elapsed.toMillis());
        t.put("directory", dir.toString());
        if (spec != null) t.put("spec", spec);
        trace.record("training_" + purpose, t);
        return new FineTuned(trained, dir, spec, losses, tokens, elapsed);
    }

    private synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("mocoj-training-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for training: " + e.getMessage(), e);
            }
            LOG.info("the run has no log directory: training results go to {}", root);
        }
        return root;
    }

    private void writeManifest(Path dir, ModelEndpoint model, String purpose, FineTuneRequest r, String base, String spec,
                               List<Double> losses, long tokens, Duration elapsed, String result) {
        ObjectNode m = JSON.createObjectNode();
        m.put("method", method);
        m.put("purpose", purpose);
        m.put("task", task);
        m.set("hyperparameters", JSON.valueToTree(hyperparameters));
        m.put("run_seed", runSeed);
        m.put("seed", r.seed());
        ObjectNode training = m.putObject("training");
        training.put("objective", r.objective().name().toLowerCase(Locale.ROOT));
        training.put("steps", r.steps());
        training.put("epochs", r.epochs());
        training.put("learning_rate", r.learningRate());
        training.put("lora_rank", r.loraRank());
        training.set("options", JSON.valueToTree(r.options()));
        ObjectNode data = m.putObject("data");
        data.put("file", "data.jsonl");
        data.put("rows", r.examples().size());
        try {
            data.put("sha256", sha256(Files.readAllBytes(dir.resolve("data.jsonl"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode b = m.putObject("base_model");
        b.put("name", model.name());
        b.put("identity", model.identity());
        if (base != null) {
            b.put("file", base);
            b.put("sha256", fileHashes.computeIfAbsent(base, TrainingRuns::fileSha256));
        }
        ObjectNode res = m.putObject("result");
        if (result != null) res.put("file", result);
        if (spec != null) res.put("spec", spec);
        res.put("steps_trained", losses.size());
        ArrayNode l = res.putArray("losses");
        losses.forEach(l::add);
        res.put("tokens", tokens);
        res.put("elapsed_ms", elapsed.toMillis());
        Path tmp = dir.resolve("manifest.json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), m);
            Files.move(tmp, dir.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("manifest.json") + ": " + e.getMessage(), e);
        }
    }

    /** The GGUF file behind a {@code gguf:} model (identity {@code gguf:PATH:SIZE:MTIME}), or null. */
    static String baseFile(ModelEndpoint model) {
        if (model instanceof AdapterModel a && !a.baseIdentity().equals(model.identity())) return null; // already adapted in memory
        String id = model.identity();
        if (!id.startsWith("gguf:")) return null;
        String rest = id.substring("gguf:".length());
        int b = rest.lastIndexOf(':');
        int a = b < 0 ? -1 : rest.lastIndexOf(':', b - 1);
        if (a <= 0) return null;
        String path = rest.substring(0, a);
        return Files.isRegularFile(Path.of(path)) ? path : null;
    }

    private static void writeRows(Path file, List<TrainingExample> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        for (TrainingExample e : rows) out.append(JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(row(e))).append('\n');
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    /** A row in the JSONL shape {@link TrainingExample#readJsonl} reads back. */
    static Map<String, Object> row(TrainingExample e) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (e) {
            case TrainingExample.Completion c -> { m.put("prompt", c.prompt()); m.put("completion", c.completion()); }
            case TrainingExample.Preference p -> { m.put("prompt", p.prompt()); m.put("chosen", p.chosen()); m.put("rejected", p.rejected()); }
            case TrainingExample.Prompt p -> { m.put("prompt", p.prompt()); if (p.answer() != null) m.put("answer", p.answer()); }
            case TrainingExample.Conversation c -> {
                List<Map<String, String>> ms = new ArrayList<>();
                for (ChatMessage msg : c.messages()) ms.add(Map.of("role", msg.role().name().toLowerCase(Locale.ROOT), "content", msg.text()));
                m.put("messages", ms);
            }
        }
        return m;
    }

    private static String fileSha256(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
