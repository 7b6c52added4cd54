package io.mocoj.internal.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.ProgressEvent;
import io.mocoj.ProgressListener;
import io.mocoj.method.Trace;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainableModel;
import io.mocoj.train.TrainedModel;
import io.mocoj.train.TrainingExample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of {@link io.mocoj.method.MethodContext#fineTune}: runs a method's training job
 * on a {@link TrainableModel}, forwards its steps as progress events, writes the rows, adapter
 * and manifest under the run's training folder and records the job in the trace.
 */
public final class TrainingRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,80}");

    /** What the trace keeps of one training job. */
    public record TrainingJob(String label, String model, String base, String objective, int examples, Map<String, Object> firstExample,
                              int steps, List<Double> losses, long tokens, double seconds, String directory, String spec) {}

    /** How to load a trained endpoint again: a base GGUF file and the adapters applied on top of it, in order. */
    private record Lineage(Path baseFile, List<Path> adapters) {}

    private final Path root;
    private final String method;
    private final Map<String, Object> hyperparameters;
    private final long seed;
    private final ProgressListener listener;
    private final Trace trace;
    private final Set<String> labels = new HashSet<>();
    private final Map<ModelEndpoint, Lineage> lineage = new ConcurrentHashMap<>();
    private final Map<Path, String> fileHashes = new ConcurrentHashMap<>();

    /**
     * @param root where this run's jobs go ({@code LOGDIR/training/<task>-<method>-seed<seed>}), or null to keep results in memory
     */
    public TrainingRunner(Path root, String method, Map<String, Object> hyperparameters, long seed, ProgressListener listener, Trace trace) {
        this.root = root;
        this.method = method;
        this.hyperparameters = hyperparameters == null ? Map.of() : new LinkedHashMap<>(hyperparameters);
        this.seed = seed;
        this.listener = listener;
        this.trace = trace;
    }

    /** The training folder of a run: {@code LOGDIR/training/<task>-<method>-seed<seed>}. */
    public static Path folder(Path logDir, String task, String method, long seed) {
        return logDir.resolve("training").resolve(RunLogWriter.safe(task) + "-" + RunLogWriter.safe(method) + "-seed" + seed);
    }

    /** Runs one job; see {@link io.mocoj.method.MethodContext#fineTune}. */
    public TrainedModel fineTune(ModelEndpoint model, String label, FineTuneRequest request) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("training job label '" + label + "' must be 1-80 letters, digits, '.', '_' or '-'");
        }
        synchronized (labels) {
            if (!labels.add(label)) throw new IllegalArgumentException("training job label '" + label + "' is used twice in this run");
        }
        if (!(model instanceof TrainableModel trainable)) {
            throw new IllegalArgumentException("model '" + model.name() + "' cannot be fine-tuned (it offers " + model.capabilities()
                    + ", not TRAIN); use gguf: models or a fine-tuning backend such as openai-ft:");
        }
        Path dir = root == null ? null : root.resolve(label);
        String dataSha = null;
        if (dir != null) {
            try {
                Files.createDirectories(dir);
                dataSha = writeRows(dir.resolve("data.jsonl"), request.examples());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the training data of job " + label + " to " + dir + ": " + e.getMessage(), e);
            }
        }
        StepLog steps = new StepLog(dir == null ? null : dir.resolve("losses.jsonl"));
        double[] lastTokensPerSecond = {Double.NaN};
        long start = System.nanoTime();
        double[] lastStepAt = {0};
        FineTuneRequest withEngine = new FineTuneRequest(request.objective(), request.examples(), request.steps(), request.epochs(),
                request.learningRate(), request.loraRank(), request.seed(), dir, request.suffix(), request.reward(), p -> {
                    synchronized (steps) {
                        steps.add(p.step(), p.loss());
                        lastTokensPerSecond[0] = p.tokensPerSecond();
                        lastStepAt[0] = (System.nanoTime() - start) / 1e9;
                    }
                    listener.onEvent(new ProgressEvent.TrainingStep(label, model.name(), p));
                    request.listener().accept(p);
                }, request.options(), request.deferral());
        LOG.info("training job {}: {} on {} ({} rows)", label, request.objective(), model.name(), request.examples().size());
        ModelEndpoint tuned = trainable.fineTune(withEngine);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> losses = steps.losses();
        if (steps.resumedAt() > 0) LOG.info("training job {} resumed at step {} from its checkpoint", label, steps.resumedAt());
        long tokens = Double.isFinite(lastTokensPerSecond[0]) ? Math.round(lastTokensPerSecond[0] * lastStepAt[0]) : 0;

        Lineage parent = lineageOf(model);
        Path adapter = dir != null && Files.exists(dir.resolve("adapter.gguf")) ? dir.resolve("adapter.gguf") : null;
        Path full = dir != null && Files.exists(dir.resolve("model.gguf")) ? dir.resolve("model.gguf") : null;
        String spec = null;
        if (parent != null && adapter != null) {
            List<Path> chain = new ArrayList<>(parent.adapters());
            chain.add(adapter);
            Lineage mine = new Lineage(parent.baseFile(), List.copyOf(chain));
            lineage.put(tuned, mine);
            spec = spec(mine);
        } else if (full != null) {
            Lineage mine = new Lineage(full.toAbsolutePath(), List.of());
            lineage.put(tuned, mine);
            spec = spec(mine);
        }
        if (dir != null) writeManifest(dir, label, model, request, parent, dataSha, losses, steps.resumedAt(), tokens, seconds, adapter, full, spec);

        Map<String, Object> first = new LinkedHashMap<>();
        rowJson(request.examples().get(0)).fields().forEachRemaining(e -> first.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        trace.record("training", Map.of("job", new TrainingJob(label, model.name(), model.identity(), request.objective().name().toLowerCase(Locale.ROOT),
                request.examples().size(), first, losses.size(), List.copyOf(losses), tokens, seconds,
                dir == null ? null : dir.toString(), spec)));
        return new TrainedModel(label, tuned, model, request.objective(), request.examples().size(), losses, tokens, seconds,
                dir == null ? null : dir.toString(), spec);
    }

    /** Saves one artifact with its manifest; see {@link io.mocoj.method.MethodContext#saveArtifact}. */
    public Path saveArtifact(String label, String fileName, io.mocoj.train.ArtifactWriter writer, Map<String, Object> details) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("artifact label '" + label + "' must be 1-80 letters, digits, '.', '_' or '-'");
        }
        if (fileName == null || !LABEL.matcher(fileName).matches() || fileName.equals("manifest.json")) {
            throw new IllegalArgumentException("artifact file name '" + fileName + "' must be 1-80 letters, digits, '.', '_' or '-' (not manifest.json)");
        }
        synchronized (labels) {
            if (!labels.add(label)) throw new IllegalArgumentException("training job label '" + label + "' is used twice in this run");
        }
        if (root == null) {
            trace.record("training_artifact", Map.of("label", label, "file", fileName, "written", false));
            return null;
        }
        Path dir = root.resolve(label), file = dir.resolve(fileName), tmp = dir.resolve(TempFiles.PREFIX + fileName);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + label + " to " + file + ": " + e.getMessage(), e);
        }
        fileHashes.remove(file.toAbsolutePath());
        String sha = sha256(file);
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("method", method);
        m.put("job", label);
        m.put("kind", "artifact");
        m.put("file", fileName);
        m.put("sha256", sha);
        m.put("run_seed", seed);
        m.set("hyperparameters", Json.MAPPER.valueToTree(hyperparameters));
        m.set("details", Json.MAPPER.valueToTree(details == null ? Map.of() : details));
        writeJson(dir.resolve("manifest.json"), m);
        trace.record("training_artifact", Map.of("label", label, "file", file.toAbsolutePath().toString(), "sha256", sha, "written", true));
        LOG.info("saved artifact {} to {}", label, file);
        return file.toAbsolutePath();
    }

    private Lineage lineageOf(ModelEndpoint model) {
        Lineage known = lineage.get(model);
        if (known != null) return known;
        Path file = ggufFile(model.identity());
        return file == null ? null : new Lineage(file, List.of());
    }

    /** The GGUF file of a {@code gguf:PATH:SIZE:MTIME} identity, when it still exists. */
    static Path ggufFile(String identity) {
        if (identity == null || !identity.startsWith("gguf:")) return null;
        String rest = identity.substring("gguf:".length());
        int b = rest.lastIndexOf(':');
        int a = b < 0 ? -1 : rest.lastIndexOf(':', b - 1);
        if (a <= 0) return null;
        Path p = Path.of(rest.substring(0, a));
        return Files.isRegularFile(p) ? p : null;
    }

    private static String spec(Lineage l) {
        StringBuilder s = new StringBuilder("gguf:").append(l.baseFile().toAbsolutePath());
        if (!l.adapters().isEmpty()) {
            s.append("?lora=");
            for (int i = 0; i < l.adapters().size(); i++) s.append(i == 0 ? "" : ",").append(l.adapters().get(i).toAbsolutePath());
        }
        return s.toString();
    }

    private void writeManifest(Path dir, String label, ModelEndpoint model, FineTuneRequest r, Lineage parent, String dataSha,
                               List<Double> losses, int resumedAt, long tokens, double seconds, Path adapter, Path full, String spec) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("method", method);
        m.put("job", label);
        m.put("objective", r.objective().name().toLowerCase(Locale.ROOT));
        ObjectNode base = m.putObject("base_model");
        base.put("name", model.name());
        base.put("identity", model.identity());
        if (parent != null) {
            base.put("file", parent.baseFile().toAbsolutePath().toString());
            base.put("sha256", sha256(parent.baseFile()));
            ArrayNode prior = base.putArray("adapters_applied_before");
            for (Path p : parent.adapters()) prior.add(p.toAbsolutePath().toString());
        }
        ObjectNode data = m.putObject("data");
        data.put("file", "data.jsonl");
        data.put("rows", r.examples().size());
        data.put("sha256", dataSha);
        ObjectNode training = m.putObject("training");
        training.put("steps", r.steps());
        training.put("epochs", r.epochs());
        training.put("learning_rate", r.learningRate());
        training.put("lora_rank", r.loraRank());
        if (!r.options().isEmpty()) training.set("options", Json.MAPPER.valueToTree(r.options()));
        training.put("seed", r.seed());
        m.put("run_seed", seed);
        m.set("hyperparameters", Json.MAPPER.valueToTree(hyperparameters));
        ArrayNode ls = m.putArray("losses");
        losses.forEach(ls::add);
        if (resumedAt != 0) m.put("resumed_at_step", resumedAt);
        m.put("tokens_trained_estimate", tokens);
        m.put("seconds", seconds);
        if (adapter != null) m.put("adapter", "adapter.gguf");
        if (full != null) m.put("model", "model.gguf");
        if (spec != null) m.put("spec", spec);
        writeJson(dir.resolve("manifest.json"), m);
    }

    private static void writeJson(Path file, ObjectNode m) {
        Path tmp = file.resolveSibling(TempFiles.PREFIX + file.getFileName());
        try {
            Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String sha256(Path file) {
        return fileHashes.computeIfAbsent(file.toAbsolutePath(), p -> {
            try (InputStream in = Files.newInputStream(p)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException("cannot hash " + p + ": " + e.getMessage(), e);
            }
        });
    }

    /** Writes the rows in TRL's JSONL formats and returns the file's SHA-256. */
    private static String writeRows(Path file, List<TrainingExample> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (TrainingExample row : rows) sb.append(Json.MAPPER.writeValueAsString(rowJson(row))).append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(TempFiles.PREFIX + file.getFileName());
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The loss of every optimiser step of one job, also appended to {@code losses.jsonl} in its
     * folder as it happens, so that a job resumed from a checkpoint (after a kill) reports the whole
     * curve: the steps before the checkpoint come from the file. A job that starts at step 1
     * starts the file afresh.
     */
    private static final class StepLog {
        private final Path file;
        private final java.util.TreeMap<Integer, Double> earlier = new java.util.TreeMap<>(), now = new java.util.TreeMap<>();
        private int firstStep = -1;

        StepLog(Path file) {
            this.file = file;
            if (file == null || !Files.exists(file)) return;
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        var n = Json.MAPPER.readTree(line);
                        earlier.put(n.get("step").asInt(), n.get("loss").asDouble());
                    } catch (Exception torn) {
                        // the last line of a killed run may be cut off: the step is run again
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", file, e.getMessage());
            }
        }

        void add(int step, double loss) {
            if (firstStep < 0) {
                firstStep = step;
                if (step == 1) earlier.clear();
                rewrite();
            }
            now.put(step, loss);
            append(step, loss);
        }

        /** The step the trainer resumed after (0: it started at step 1; its last step when it had already finished). */
        int resumedAt() { return firstStep < 0 ? (earlier.isEmpty() ? 0 : earlier.lastKey()) : firstStep - 1; }

        List<Double> losses() {
            java.util.TreeMap<Integer, Double> all = new java.util.TreeMap<>();
            int cut = firstStep < 0 ? Integer.MAX_VALUE : firstStep;
            all.putAll(earlier.headMap(cut));
            all.putAll(now);
            return List.copyOf(all.values());
        }

        private void rewrite() {
            if (file == null) return;
            StringBuilder b = new StringBuilder();
            for (var e : earlier.headMap(firstStep).entrySet()) b.append(line(e.getKey(), e.getValue()));
            try {
                Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.warn("cannot write {}: {}", file, e.getMessage());
            }
        }

        private void append(int step, double loss) {
            if (file == null) return;
            try {
                Files.writeString(file, line(step, loss), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("cannot append to {}: {}", file, e.getMessage());
            }
        }

        private static String line(int step, double loss) { return "{\"step\":" + step + ",\"loss\":" + loss + "}\n"; }
    }

    static ObjectNode rowJson(TrainingExample row) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (row) {
            case TrainingExample.Completion c -> o.put("prompt", c.prompt()).put("completion", c.completion());
            case TrainingExample.Preference p -> o.put("prompt", p.prompt()).put("chosen", p.chosen()).put("rejected", p.rejected());
            case TrainingExample.Prompt p -> {
                o.put("prompt", p.prompt());
                if (p.answer() != null) o.put("answer", p.answer());
            }
            case TrainingExample.Conversation c -> {
                ArrayNode ms = o.putArray("messages");
                for (ChatMessage m : c.messages()) ms.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.text());
            }
        }
        return o;
    }
}
