package io.mocoj.examples.bench;

import io.mocoj.RunReport;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.task.Task;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every method on the zoo against the best single model of its pool, on several skill tasks
 * (docs/zoo.md, "Methods on the zoo"). Each method runs from its bundled config
 * ({@code examples/configs/zoo/<method>.json}, the same file {@code ./moco -c} runs) with the task
 * replaced by each skill's; the config's own specialist is swapped for the skill's specialist (in
 * the pool and in every hyperparameter naming it, e.g. model descriptions and selector names), so
 * every (method, skill) pool holds that skill's specialist. Per cell: the method's score, the best
 * single model of the pool (the run's own baselines), the paired difference with its 95% paired
 * bootstrap interval ({@link RunReport#comparison()}), and the items no single pool model solves
 * (score 1) but the method does ("collaborative emergence"); overall, the share of cells where the
 * method is ahead of the best single model. A cell that fails is a row saying so, never left out.
 *
 * <pre>examples/run io.mocoj.examples.bench.ZooMethodsBenchmark [limit=60] [skills=mcq,sort,reverse,kbqa] [methods=all] [parallel=1] [zoo=DIR] [out=build/zoo-methods.md]</pre>
 * Responses are cached under {@code build/zoo-methods-cache} so each model alone is run once per
 * skill; delete it to measure from scratch.
 */
public final class ZooMethodsBenchmark {
    private static final Path CONFIGS = Path.of("examples/configs/zoo");
    /** The full specialists, one per skill; a pool's specialist of the config's skill is swapped for the target skill's. */
    private static final Map<String, String> SPECIALIST = Map.of("zoo_mcq", "mcq", "zoo_arith", "arith", "zoo_reverse", "reverse",
            "zoo_sort", "sort", "zoo_kbqa", "kbqa", "zoo_code", "code");

    private ZooMethodsBenchmark() {}

    /** One (method, skill) result. */
    record Cell(String method, String task, List<String> pool, double score, String best, double bestScore, double diff, double low,
                double high, int emergent, int n, double seconds, String error) {
        boolean ok() { return error == null; }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) a.put("limit", arg); else a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int limit = Integer.parseInt(a.getOrDefault("limit", "60"));
        List<Skill> skills = Stream.of(a.getOrDefault("skills", "mcq,sort,reverse,kbqa").split(","))
                .map(s -> Skill.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
        Set<String> only = a.containsKey("methods") ? Set.of(a.get("methods").split(",")) : null;
        Path out = Path.of(a.getOrDefault("out", "build/zoo-methods.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path cache = Path.of(a.getOrDefault("cache", "build/zoo-methods-cache"));
        String zooDir = a.get("zoo");
        List<Path> configs;
        try (Stream<Path> s = Files.list(CONFIGS)) {
            configs = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        String header = String.format(Locale.ROOT, "<!-- ZooMethodsBenchmark limit=%d skills=%s started %s, %d cores, load %s -->%n"
                        + "| method | task | pool | method score | best single | paired difference [95%%] | emergence |%n|---|---|---|---|---|---|---|%n",
                limit, skills, Instant.now(), Runtime.getRuntime().availableProcessors(), loadAverage());
        Files.writeString(out, header);
        System.out.print(header);
        int parallel = Integer.parseInt(a.getOrDefault("parallel", "1"));
        List<java.util.concurrent.Callable<Cell>> jobs = new ArrayList<>();
        for (Path config : configs) {
            String method = config.getFileName().toString().replace(".json", "");
            if (only != null && !only.contains(method)) continue;
            MocoConfig cfg = MocoConfig.read(config);
            for (Skill skill : skills) {
                jobs.add(() -> {
                    Cell c = run(cfg, SkillTasks.task(skill), limit, cache, zooDir);
                    synchronized (ZooMethodsBenchmark.class) {
                        System.out.print(row(c));
                        System.err.printf(Locale.ROOT, "%s %s %.0f s%n", c.method(), c.task(), c.seconds());
                        Files.writeString(out, row(c), StandardOpenOption.APPEND);
                    }
                    return c;
                });
            }
        }
        List<Cell> cells = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        try {
            for (java.util.concurrent.Future<Cell> f : pool.invokeAll(jobs)) cells.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        // the finished table in method and skill order (rows were appended as they completed)
        StringBuilder table = new StringBuilder(header);
        for (Cell c : cells) table.append(row(c));
        String summary = summary(cells);
        System.out.print(summary);
        Files.writeString(out, table + summary);
    }

    /**
     * The config's run on {@code task}, with the config's specialist swapped for the task's; with
     * {@code zooDir} every {@code zoo:} spec (pool and hyperparameters) names that zoo instead of the shipped set.
     */
    static Cell run(MocoConfig cfg, Task task, int limit, Path cache, String zooDir) {
        Map<String, String> swap = swap(cfg.task(), task.name());
        List<String> pool = cfg.modelNames().stream().map(m -> inZoo(swapName(m, swap), zooDir)).toList();
        Map<String, Object> hp = new LinkedHashMap<>();
        cfg.hyperparameters().forEach((k, v) -> hp.put(k, v instanceof String s ? inZoo(swapName(s, swap), zooDir) : v));
        if (hp.get("model_descriptions") instanceof List<?> d && d.size() == pool.size()) {
            hp.put("model_descriptions", permute(d, cfg.modelNames(), pool));
        }
        MocoConfig c = new MocoConfig(cfg.source(), cfg.method(), task.name(), Optional.empty(), pool, hp, cfg.settings(), cfg.seed(),
                Optional.of(limit), cfg.concurrency(), true, cfg.dataDir(), cfg.cacheDir(), cfg.warnings(), List.of(task.name()),
                cfg.numFewshot(), cfg.judgeModels(), cfg.embeddingModel(), cfg.onModelFailure(), cfg.preflight(), cfg.raw());
        List<String> shortPool = pool.stream().map(ZooMethodsBenchmark::shortName).toList();
        long t0 = System.nanoTime();
        try {
            RunReport r = ConfigRuns.toBuilder(c, x -> task).limit(limit).cacheDir(cache).execute();
            double seconds = (System.nanoTime() - t0) / 1e9;
            RunReport.Baseline best = r.bestBaseline().orElseThrow();
            RunReport.Comparison cmp = r.comparison();
            return new Cell(cfg.method(), task.name(), shortPool, r.meanScore(), best.model(), best.summary().mean(),
                    cmp == null ? Double.NaN : cmp.meanDifference(), cmp == null ? Double.NaN : cmp.interval().low(),
                    cmp == null ? Double.NaN : cmp.interval().high(), emergent(r), r.examples().size(), seconds, null);
        } catch (RuntimeException | LinkageError e) { // a run that fails (or a class path changed under the JVM) is a row saying so
            String msg = String.valueOf(e.getMessage()).replace('\n', ' ').replace('|', '/');
            return new Cell(cfg.method(), task.name(), shortPool, Double.NaN, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                    (System.nanoTime() - t0) / 1e9, msg.length() > 160 ? msg.substring(0, 160) + "…" : msg);
        }
    }

    /** Items no single model of the pool solves (score 1) but the method does. */
    static int emergent(RunReport r) {
        int n = 0;
        for (int i = 0; i < r.examples().size(); i++) {
            boolean single = false;
            for (RunReport.Baseline b : r.baselines()) single |= b.examples().get(i).score() >= 0.999;
            if (!single && r.examples().get(i).score() >= 0.999) n++;
        }
        return n;
    }

    /** The specialist of {@code fromTask} and that of {@code toTask}, mapped to each other (empty when equal or unknown). */
    static Map<String, String> swap(String fromTask, String toTask) {
        String from = SPECIALIST.get(fromTask), to = SPECIALIST.get(toTask);
        if (from == null || to == null || from.equals(to)) return Map.of();
        return Map.of(from, to, to, from);
    }

    private static String swapName(String spec, Map<String, String> swap) {
        if (spec.startsWith("zoo:")) {
            String name = spec.substring(4);
            int q = name.indexOf('?');
            String body = q < 0 ? name : name.substring(0, q), rest = q < 0 ? "" : name.substring(q);
            return swap.containsKey(body) ? "zoo:" + swap.get(body) + rest : spec;
        }
        return swap.getOrDefault(spec, spec);
    }

    private static String inZoo(String spec, String zooDir) {
        return zooDir == null || !spec.startsWith("zoo:") ? spec : spec + (spec.contains("?") ? "&" : "?") + "dir=" + zooDir;
    }

    private static String shortName(String spec) {
        return spec.replaceFirst("^zoo:", "").replaceFirst("\\?.*$", "");
    }

    /** The descriptions following their models; a specialist swapped in gets a plain one naming its skill task. */
    private static List<Object> permute(List<?> values, List<String> before, List<String> after) {
        List<Object> out = new ArrayList<>();
        for (String m : after) {
            String name = shortName(m);
            int i = before.stream().map(ZooMethodsBenchmark::shortName).toList().indexOf(name);
            String task = SPECIALIST.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst().orElse("the zoo's skills");
            out.add(i >= 0 ? values.get(i) : name + ": fine-tuned on " + task);
        }
        return out;
    }

    static String row(Cell c) {
        if (!c.ok()) {
            return String.format(Locale.ROOT, "| %s | %s | %s | failed: %s | | | |%n", c.method(), c.task(), String.join(", ", c.pool()), c.error());
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s %.3f | %+.3f [%+.3f, %+.3f] | %d/%d (%.1f%%) |%n", c.method(), c.task(),
                String.join(", ", c.pool()), c.score(), c.best(), c.bestScore(), c.diff(), c.low(), c.high(), c.emergent(), c.n(),
                100.0 * c.emergent() / c.n());
    }

    static String summary(List<Cell> cells) {
        int ok = 0, ahead = 0, tied = 0, sigAhead = 0, sigBehind = 0, emergent = 0, items = 0, failed = 0;
        double seconds = 0;
        for (Cell c : cells) {
            seconds += c.seconds();
            if (!c.ok()) { failed++; continue; }
            ok++;
            if (c.score() > c.bestScore() + 1e-12) ahead++;
            else if (Math.abs(c.score() - c.bestScore()) <= 1e-12) tied++;
            if (c.low() > 0) sigAhead++;
            if (c.high() < 0) sigBehind++;
            emergent += c.emergent();
            items += c.n();
        }
        return String.format(Locale.ROOT, "%nSettings: %d (%d failed). Method ahead of the best single model in %d of %d (%.0f%%), tied in %d,"
                        + " behind in %d; the paired 95%% interval is above 0 in %d and below 0 in %d. Collaborative emergence: %d of %d items"
                        + " (%.1f%%). Total %.0f s; finished %s, load %s.%n",
                cells.size(), failed, ahead, ok, ok == 0 ? Double.NaN : 100.0 * ahead / ok, tied, ok - ahead - tied, sigAhead, sigBehind,
                emergent, items, items == 0 ? Double.NaN : 100.0 * emergent / items, seconds, Instant.now(), loadAverage());
    }

    private static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            return String.join(" ", List.of(s.split(" ")).subList(0, 3));
        } catch (IOException | UncheckedIOException | IndexOutOfBoundsException e) {
            return "unknown";
        }
    }
}
