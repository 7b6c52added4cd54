package io.mocoj.internal.engine;

import io.mocoj.RunRecord;
import io.mocoj.RunReport;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/** Builds the {@link RunRecord} of a run: software, machine, configuration, data and scoring. */
final class RunRecords {
    private static final Pattern SECRET_OPTION =
            Pattern.compile("(?i)((?:api[_-]?key|key|token|secret|password|authorization)=)[^&\\s\"]+");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(api[_-]?key|token|secret|password|authorization).*");

    private RunRecords() {}

    static RunRecord of(Runner.Plan plan, Instant started, Instant finished, List<RunReport.PreflightResult> preflight,
                        List<RunReport.ModelUsage> judgeUsage) {
        Runtime rt = Runtime.getRuntime();
        Map<String, String> scoring = plan.evaluator().scoringInfo();
        RunRecord.EvaluatorRecord ev = new RunRecord.EvaluatorRecord(plan.evaluator().getClass().getSimpleName(),
                plan.evaluator().taskType().configName(), scoring.get("matchMode"), scoring.get("judge"), scoring.get("embeddingModel"));
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = plan.provenance().rawConfig() == null ? null : (Map<String, Object>) redact(plan.provenance().rawConfig());
        return new RunRecord(version(), gitCommit().orElse(null), started.toString(), finished.toString(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                rt.availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                raw, resolved(plan), dataset(plan), ev, preflight, judgeUsage, replicas(plan));
    }

    /** Usage per replica of every replicated model of the run (pool and judges), once per model. */
    private static List<RunRecord.ReplicaSet> replicas(Runner.Plan plan) {
        Map<String, RunRecord.ReplicaSet> out = new LinkedHashMap<>();
        List<ModelEndpoint> all = new ArrayList<>(plan.models());
        plan.judges().forEach(j -> all.add(j.delegate()));
        for (ModelEndpoint e : all) {
            if (e instanceof io.mocoj.model.ReplicatedEndpoint r && !out.containsKey(r.name())) {
                out.put(r.name(), new RunRecord.ReplicaSet(r.name(), r.replicaUsage()));
            }
        }
        return List.copyOf(out.values());
    }

    private static Map<String, Object> resolved(Runner.Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", plan.method().name());
        m.put("hyperparameters", redact(plan.method().hyperparameters().asMap()));
        m.put("task", plan.task().name());
        m.put("taskType", plan.task().type().configName());
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelEndpoint e : plan.models()) models.add(model(e));
        m.put("models", models);
        m.put("judges", plan.judges().stream().map(j -> model(j.delegate())).toList());
        m.put("seed", plan.settings().seed());
        m.put("maxResponseLength", plan.settings().maxResponseLength());
        m.put("temperature", plan.settings().temperature());
        m.put("topP", plan.settings().topP());
        m.put("batchSize", plan.settings().batchSize());
        EngineSettings es = plan.engine();
        m.put("concurrency", es.concurrency());
        m.put("perModelConcurrency", es.defaultPerModelConcurrency());
        m.put("modelConcurrency", es.perModelConcurrency());
        m.put("requestsPerMinute", es.requestsPerMinute());
        m.put("retry", Map.of("maxRetries", es.retry().maxRetries(), "baseDelaySeconds", es.retry().baseDelay().toNanos() / 1e9,
                "maxDelaySeconds", es.retry().maxDelay().toNanos() / 1e9));
        m.put("cacheDir", es.cacheDir() == null ? null : es.cacheDir().toString());
        m.put("logDir", plan.logDir() == null ? null : plan.logDir().toString());
        m.put("baselines", plan.baselines());
        m.put("failFast", plan.failFast());
        m.put("bootstrapResamples", plan.bootstrapResamples());
        HealthSettings h = es.health();
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("onModelFailure", h.policy().name().toLowerCase(java.util.Locale.ROOT));
        health.put("firstCalls", h.firstCalls());
        health.put("maxFailureShare", h.maxFailureShare());
        health.put("minCallsForShare", h.minCallsForShare());
        health.put("preflight", h.preflight());
        health.put("circuitBreakerThreshold", h.breakerThreshold());
        health.put("circuitBreakerCooldownSeconds", h.breakerCooldown().toNanos() / 1e9);
        m.put("modelHealth", health);
        return m;
    }

    private static Map<String, Object> model(ModelEndpoint e) {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("name", e.name());
        mm.put("identity", redact(e.identity()));
        mm.put("simulated", e.simulated());
        mm.put("remote", e.remote());
        return mm;
    }

    private static RunRecord.DatasetRecord dataset(Runner.Plan plan) {
        Task t = plan.task();
        String source = plan.provenance().datasetSource() == null ? "in memory" : plan.provenance().datasetSource();
        String sha = plan.provenance().datasetSha256();
        String of = "file";
        if (sha == null) {
            sha = examplesSha256(t);
            of = "examples";
        }
        return new RunRecord.DatasetRecord(t.name(), source, sha, of, t.dev().size(), t.test().size());
    }

    /** SHA-256 of the canonical JSON of the dev then test examples used. */
    static String examplesSha256(Task t) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (List<Example> split : List.of(t.dev(), t.test())) {
                for (Example e : split) {
                    md.update(Json.MAPPER.writeValueAsBytes(e));
                    md.update((byte) '\n');
                }
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot hash the examples: " + e.getMessage(), e);
        }
    }

    /** Replaces secret values (spec options such as api_key=..., keys named like secrets) with "***". */
    static Object redact(Object v) {
        if (v instanceof String s) return SECRET_OPTION.matcher(s).replaceAll("$1***");
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, val) -> out.put(String.valueOf(k),
                    SECRET_KEY.matcher(String.valueOf(k)).matches() && val != null && !(val instanceof Map) ? "***" : redact(val)));
            return out;
        }
        if (v instanceof List<?> list) return list.stream().map(RunRecords::redact).toList();
        return v;
    }

    /** The MoCo-J version the classes were built as. */
    static String version() {
        try (InputStream in = RunRecords.class.getResourceAsStream("/io/mocoj/mocoj-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.contains("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The commit of the git checkout this code was loaded from (walking up from its class folder or jar), if any. */
    static Optional<String> gitCommit() {
        try {
            Path p = Path.of(RunRecords.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path dir = p; dir != null; dir = dir.getParent()) {
                Path dotGit = dir.resolve(".git");
                if (Files.isDirectory(dotGit)) return readHead(dotGit, dotGit);
                if (Files.isRegularFile(dotGit)) {
                    String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
                    if (!line.startsWith("gitdir:")) return Optional.empty();
                    Path gitDir = dir.resolve(line.substring(7).strip()).normalize();
                    Path common = gitDir;
                    Path commonFile = gitDir.resolve("commondir");
                    if (Files.isRegularFile(commonFile)) common = gitDir.resolve(Files.readString(commonFile).strip()).normalize();
                    return readHead(gitDir, common);
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> readHead(Path gitDir, Path commonDir) throws IOException {
        String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
        if (!head.startsWith("ref:")) return head.matches("[0-9a-f]{40}") ? Optional.of(head) : Optional.empty();
        String ref = head.substring(4).strip();
        for (Path base : List.of(gitDir, commonDir)) {
            Path f = base.resolve(ref);
            if (Files.isRegularFile(f)) return Optional.of(Files.readString(f, StandardCharsets.UTF_8).strip());
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                if (line.endsWith(" " + ref)) return Optional.of(line.substring(0, line.indexOf(' ')));
            }
        }
        return Optional.empty();
    }
}
