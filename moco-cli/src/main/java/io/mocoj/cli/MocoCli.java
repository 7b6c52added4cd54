package io.mocoj.cli;

import io.mocoj.Run;
import io.mocoj.RunBuilder;
import io.mocoj.ModelFailureException;
import io.mocoj.ModelFailurePolicy;
import io.mocoj.RunFailedException;
import io.mocoj.RunReport;
import io.mocoj.config.ConfigException;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.config.PathKind;
import io.mocoj.config.Quoted;
import io.mocoj.internal.engine.Problems;
import io.mocoj.model.Secrets;
import io.mocoj.datasets.DatasetException;
import io.mocoj.datasets.DatasetInfo;
import io.mocoj.datasets.DatasetLoader;
import io.mocoj.datasets.Datasets;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodRegistry;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.task.Task;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moco -c config.json -l logs/}: runs a MoCo JSON config, prints the method against every
 * single model (scores with 95% intervals, calls, tokens, cost, wall time) and writes the run log.
 * Exit codes (the README's table): 0 the run finished (failed examples are counted and warned
 * about), 1 the run started but stopped (fail-fast, an I/O failure while running, an internal
 * error) or no example could be scored, 2 bad input: command line, config, model spec, data file or
 * folder (nothing was run and no run log written), 3 a model failed too often and the run was
 * stopped (see {@code --allow-degraded}), 130 interrupted.
 */
@Command(name = "moco", mixinStandardHelpOptions = true, version = "MoCo-J 0.1.0",
        description = "Runs a MoCo model-collaboration config and compares the method with every single model.",
        sortOptions = false)
public final class MocoCli implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the MoCo JSON config to run")
    Path config;

    @Option(names = {"-l", "--log-dir"}, paramLabel = "DIR", defaultValue = "logs",
            description = "where the run log is written (default: ${DEFAULT-VALUE})")
    Path logDir;

    @Option(names = "--limit", paramLabel = "N", description = "use at most N examples of each split")
    Integer limit;

    @Option(names = "--concurrency", paramLabel = "N", description = "model calls in flight at once (default 64)")
    Integer concurrency;

    @Option(names = "--seed", paramLabel = "N", description = "run seed (default: the config's, else 42)")
    Long seed;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "response cache (default: <log dir>/.cache)")
    Path cacheDir;

    @Option(names = "--no-cache", description = "do not keep responses on disk")
    boolean noCache;

    @Option(names = "--no-baselines", description = "skip running every model alone")
    boolean noBaselines;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding <task>.json files (also MOCO_DATA_DIR)")
    Path dataDir;

    @Option(names = "--fail-fast", description = "stop at the first failed example")
    boolean failFast;

    @Option(names = "--allow-degraded", description = "go on when a model fails too often; the result is then marked DEGRADED"
            + " (default: stop with exit code 3)")
    boolean allowDegraded;

    @Option(names = "--no-preflight", description = "do not send one small request to every remote endpoint before the run")
    boolean noPreflight;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, bar, lines or none (default: ${DEFAULT-VALUE}: a bar on a terminal, lines otherwise)")
    String progress;

    @Option(names = "--report", paramLabel = "FORMATS",
            description = "also write the run's report beside the run log: html, md or html,md (see moco report --help)")
    String reportFormats;

    @Option(names = "--plugins", paramLabel = "DIR", split = ",",
            description = "folders of jars (or jar files) whose methods, evaluators, datasets and model specs are added"
                    + " through ServiceLoader; also MOCO_PLUGINS (':'-separated)")
    java.util.List<Path> plugins;

    @Option(names = "--list-methods", description = "list the methods and their hyperparameters")
    boolean listMethods;

    @Option(names = "--list-tasks", description = "list the datasets")
    boolean listTasks;

    @Option(names = "--list-models", description = "list the accepted model specs")
    boolean listModels;

    // --- datasets branch (#15): dry runs ---
    @Option(names = "--dry-run", description = "print the first prompts as they will be sent, the calls per model and the"
            + " estimated cost, and make no model call")
    boolean dryRun;

    @Option(names = "--dry-run-prompts", paramLabel = "N", defaultValue = "2",
            description = "prompts a dry run prints per task (default: ${DEFAULT-VALUE})")
    int dryRunPrompts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The data file the task was read from, for the run record (null when unknown). */
    private Path dataFile;
    /** Exit code: the run finished. */
    public static final int EXIT_OK = 0;
    /** Exit code: the run started and stopped (fail-fast, an I/O failure while running, an internal error). */
    public static final int EXIT_RUN_FAILED = 1;
    /** Exit code: bad command line, config, model spec, data file or folder; nothing was run. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Longest message printed whole; longer ones keep their start and end (where the advice is). */
    static final int MAX_MESSAGE = 2000;

    /** {@code message}, with its middle cut out when it is longer than {@value #MAX_MESSAGE} characters. */
    static String capped(String message) {
        if (message == null) return "";
        if (message.length() <= MAX_MESSAGE) return message;
        return message.substring(0, 1200) + " […" + (message.length() - 1700) + " characters left out…] "
                + message.substring(message.length() - 500);
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given output streams and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new MocoCli());
        cl.addSubcommand("report", new ReportCommand());
        cl.addSubcommand("serve", new ServeCommand());
        cl.addSubcommand("grid", new GridCommand());
        cl.addSubcommand("train", new TrainCommand());
        // the CPU sandbox's model zoo (moco-zoo)
        cl.addSubcommand("zoo", new ZooCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof DatasetException) {
                err.println("moco: " + capped(e.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (e instanceof io.mocoj.train.TrainingException) {
                err.println("moco: training failed: " + e.getMessage());
                return 1;
            }
            if (e instanceof ModelFailureException) {
                err.println("moco: run stopped: " + e.getMessage());
                return 3;
            }
            if (e instanceof RunFailedException) {
                err.println("moco: run failed: " + capped(e.getMessage()));
                return EXIT_RUN_FAILED;
            }
            if (e instanceof java.io.UncheckedIOException u) {
                err.println("moco: run failed: " + capped(u.getMessage() != null ? u.getMessage() : Problems.describe(u.getCause())));
                return EXIT_RUN_FAILED;
            }
            err.println("moco: internal error: " + capped(Secrets.redact(String.valueOf(e)))
                    + " (please report it with the config that caused it)");
            return EXIT_RUN_FAILED;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("moco: " + capped(ex.getMessage()) + " (see moco --help)");
            return EXIT_BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } finally {
            io.mocoj.plugin.Plugins.reset();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        installPlugins(err);
        java.util.Set<io.mocoj.report.ReportFormat> reports = reportFormats == null ? java.util.Set.of()
                : io.mocoj.report.ReportFormat.parseList(reportFormats);
        if (listMethods) return listMethods(out);
        if (listTasks) return listTasks(out);
        if (listModels) {
            out.println(ModelSpecs.acceptedForms());
            return 0;
        }
        if (config == null) {
            err.println("moco: missing -c <config.json> (see moco --help)");
            return EXIT_BAD_INPUT;
        }
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1 (it is the number of examples per split to use), not " + limit);
        MocoConfig cfg = MocoConfig.read(config);
        if (limit == null && cfg.limit().orElse(1) == 0) {
            throw new IllegalArgumentException(config + ": \"limit\" is 0, which would run no example; give at least 1 or remove the key");
        }
        if (cfg.isSuite() || dryRun) return suiteOrDryRun(cfg, out, err);
        RunBuilder builder = applyOptions(ConfigRuns.toBuilder(cfg, this::loadTask), cfg);
        if (dataFile != null) builder.datasetSource(dataFile.toAbsolutePath().normalize().toString(), sha256(dataFile));
        else builder.datasetSource("dataset " + cfg.task(), null);
        Progress bar = Progress.create(progress, err);
        builder.listener(bar);
        Run run = builder.build();
        run.warnings().forEach(w -> err.println("warning: " + w));
        RunReport report;
        try {
            report = run.execute();
        } finally {
            bar.close();
        }
        report.simulationNote().ifPresent(out::println);
        out.print(report.toTable());
        if (report.comparison() != null) out.println(describe(report.comparison()));
        return finish(run, report, reports, "", out, err);
    }

    /**
     * What every finished run prints after its table: the run log and report paths, failures, the degraded note and
     * unscored examples; returns 1 when the run has no score, else 0. {@code label} prefixes messages in a suite.
     */
    private static int finish(Run run, RunReport report, java.util.Set<io.mocoj.report.ReportFormat> reports, String label,
                              PrintWriter out, PrintWriter err) {
        run.logFile().ifPresent(f -> out.println("run log: " + f));
        run.logFile().ifPresent(f -> reports.forEach(fmt -> out.println("report: " + io.mocoj.report.RunLogReports.write(f, fmt, null).get(0))));
        report.examples().stream().filter(RunReport.ExampleResult::failed).findFirst().ifPresent(first -> err.println(
                "moco: warning: " + label + report.summary().failed() + " of " + report.summary().n() + " test examples failed and score 0;"
                        + " the first (id " + first.id() + "): " + first.error() + (run.logFile().isPresent() ? "; every error is in the run log" : "")));
        report.degradedNote().ifPresent(n -> err.println("moco: " + label + n));
        if (report.summary().n() > 0 && !report.summary().hasScore()) {
            String why = report.summary().scored() == 0
                    ? "no test example could be scored, so the run has no score (not 0): " + report.examples().stream()
                            .filter(RunReport.ExampleResult::scoreFailed).map(RunReport.ExampleResult::scoreDetail).findFirst().orElse("")
                    : "every test example failed, so the run has no score (not 0); the first error: " + report.examples().get(0).error();
            err.println("moco: " + label + why);
            return 1;
        }
        long unscored = report.examples().stream().filter(r -> r.scoreFailed() && !r.failed()).count();
        if (unscored > 0) {
            err.println("moco: warning: " + label + unscored + " of " + report.summary().n() + " test examples could not be scored"
                    + " (left out of the mean and counted as unscored; \"scoreFailed\": true in the run log)");
        }
        return 0;
    }

    /** One line with the paired comparison of the method and its best single model. */
    static String describe(RunReport.Comparison c) {
        return String.format(java.util.Locale.ROOT,
                "paired vs %s: %d wins, %d ties, %d losses; mean difference %+.4f [%+.4f, %+.4f]; paired bootstrap p = %.4f%s",
                c.baseline(), c.wins(), c.ties(), c.losses(), c.meanDifference(), c.interval().low(), c.interval().high(),
                c.bootstrapPValue(), c.mcNemarPValue() == null ? "" : String.format(java.util.Locale.ROOT, "; exact McNemar p = %.4f", c.mcNemarPValue()));
    }

    private static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** The command-line options that apply to every run of a config. */
    private RunBuilder applyOptions(RunBuilder builder, MocoConfig cfg) {
        if (limit != null) builder.limit(limit);
        if (concurrency != null) builder.concurrency(concurrency);
        if (seed != null) builder.seed(seed);
        if (noBaselines) builder.baselines(false);
        builder.failFast(failFast).logDir(logDir);
        if (allowDegraded) builder.onModelFailure(ModelFailurePolicy.CONTINUE);
        if (noPreflight) builder.preflight(false);
        if (!noCache) {
            Path cache = cacheDir != null ? cacheDir : cfg.cacheDir().map(cfg::resolve).orElse(logDir.resolve(".cache"));
            builder.cacheDir(cache);
        }
        return builder;
    }

    // --- datasets branch (#15): several tasks in one run, dry runs ---

    /**
     * A config with a list of tasks, or any config with --dry-run: every task's run is built (and so checked) first;
     * a dry run then prints what each would do, a suite runs them one after another and prints a row per task and the
     * macro average.
     */
    private int suiteOrDryRun(MocoConfig cfg, PrintWriter out, PrintWriter err) {
        java.util.Set<io.mocoj.report.ReportFormat> formats = reportFormats == null ? java.util.Set.of()
                : io.mocoj.report.ReportFormat.parseList(reportFormats);
        java.util.List<Run> runs = new java.util.ArrayList<>();
        java.util.List<Progress> bars = new java.util.ArrayList<>();
        for (RunBuilder b : ConfigRuns.toBuilders(cfg, this::loadTask)) {
            Progress bar = Progress.create(dryRun ? "none" : progress, err);
            bars.add(bar);
            runs.add(applyOptions(b, cfg).listener(bar).build());
        }
        runs.forEach(r -> r.warnings().forEach(w -> err.println("warning: " + w)));
        if (dryRun) {
            if (dryRunPrompts < 0) throw new IllegalArgumentException("--dry-run-prompts must be >= 0, not " + dryRunPrompts);
            for (Run r : runs) out.print(r.dryRun(dryRunPrompts).describe());
            out.println("dry run: no model was called");
            return 0;
        }
        java.util.List<RunReport> reports = new java.util.ArrayList<>();
        int status = 0;
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            RunReport report;
            try (Progress bar = bars.get(i)) {
                report = r.execute();
            }
            report.simulationNote().ifPresent(out::println);
            out.println("== " + report.task() + " ==");
            out.print(report.toTable());
            if (report.comparison() != null) out.println(describe(report.comparison()));
            status = Math.max(status, finish(r, report, formats, report.task() + ": ", out, err));
            reports.add(report);
        }
        out.println("== suite: " + cfg.method() + " on " + reports.size() + " tasks ==");
        out.print(new io.mocoj.Suite.SuiteReport(reports).toTable());
        return status;
    }

    /** Adds the jars of --plugins and MOCO_PLUGINS before any registry is consulted. */
    private void installPlugins(PrintWriter err) {
        java.util.List<Path> entries = new java.util.ArrayList<>(io.mocoj.plugin.Plugins.parsePathList(System.getenv("MOCO_PLUGINS")));
        if (plugins != null) entries.addAll(plugins);
        if (entries.isEmpty()) return;
        java.util.List<Path> jars = io.mocoj.plugin.Plugins.install(entries);
        err.println("moco: plugins: " + jars.size() + " jar(s) added: " + jars.stream().map(p -> p.getFileName().toString()).toList());
    }

    Task loadTask(MocoConfig cfg) {
        if (cfg.taskIsFile()) {
            Path file = cfg.resolve(cfg.task());
            String kind = PathKind.of(file);
            if (kind.equals(PathKind.MISSING)) {
                throw new IllegalArgumentException("data file " + file + " does not exist; a path in \"task\" is relative to the"
                        + " config file's folder (or give a dataset name, see moco --list-tasks)");
            }
            if (!kind.equals(PathKind.REGULAR_FILE)) {
                throw new IllegalArgumentException("data file " + file + " (\"task\") is " + kind + "; expected a MoCo-format .json"
                        + " data file");
            }
            if (file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 200) {
                throw new IllegalArgumentException("data file name " + Quoted.of(file.getFileName().toString()) + " is longer than 200"
                        + " bytes; the run log's file name is built from it. Rename the file");
            }
            String name = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
            dataFile = file;
            return Datasets.custom(name).fromJson(file);
        }
        if (Datasets.info(cfg.task()).isEmpty()) {
            // tasks of the other task sources on the class path (e.g. moco-zoo's generated zoo_* skill tasks)
            for (io.mocoj.task.TaskSource s : io.mocoj.plugin.Plugins.load(io.mocoj.task.TaskSource.class)) {
                if (!(s instanceof io.mocoj.datasets.MocoTaskSource) && s.names().contains(cfg.task())) return s.load(cfg.task()).orElseThrow();
            }
        }
        if (Datasets.info(cfg.task()).isEmpty()) {
            throw new IllegalArgumentException("unknown dataset " + Quoted.of(cfg.task())
                    + (cfg.task().length() > 200 ? "" : io.mocoj.method.Hyperparameters.closest(cfg.task(), Datasets.names())
                            .map(c -> " (did you mean '" + c + "'?)").orElse(""))
                    + "; known datasets: "
                    + String.join(", ", Datasets.names()) + " (see moco --list-tasks). For your own data, set \"task\" to the path"
                    + " of a MoCo-format .json file (relative to the config file)");
        }
        Path dir = dataDir != null ? dataDir : cfg.dataDir().map(cfg::resolve).orElse(null);
        if (dir != null && !Files.isDirectory(dir)) {
            String kind = PathKind.of(dir);
            throw new IllegalArgumentException("data directory " + dir + (dataDir != null ? " (--data-dir)" : " (\"data_dir\", relative to the config file)")
                    + (kind.equals(PathKind.MISSING) ? " does not exist" : " is " + kind + ", not a folder")
                    + "; give the folder holding <task>.json files");
        }
        DatasetLoader loader = dir == null ? Datasets.defaultLoader() : DatasetLoader.builder().dataDir(dir).build();
        Task t = loader.load(cfg.task());
        dataFile = loader.locate(cfg.task()).orElse(null);
        return t;
    }

    private static int listMethods(PrintWriter out) {
        Map<String, MethodFactory> all = MethodRegistry.all();
        for (MethodFactory f : all.values()) {
            out.printf("%-28s %-6s %s%n", f.name(), f.level(), f.description());
            f.parameters().forEach(p -> out.printf("    %-26s default %-12s %s%n", p.name(), String.valueOf(p.defaultValue()), p.allowed()));
        }
        return 0;
    }

    private static int listTasks(PrintWriter out) {
        out.printf("%-26s %-20s %6s %6s  %-16s %s%n", "task", "type", "dev", "test", "needs", "source");
        for (DatasetInfo d : Datasets.all()) {
            String source = !d.published() ? "no published file (bring your own)"
                    : d.commit().equals(DatasetInfo.PINNED_COMMIT) ? "pinned commit, SHA-256 checked"
                    : "newer, commit " + d.commit().substring(0, 8) + (d.downloadable() ? ", SHA-256 checked" : ", hash unpinned (shape checked)");
            out.printf("%-26s %-20s %6s %6s  %-16s %s%n", d.name(), d.type().configName(), d.devSize() < 0 ? "?" : d.devSize(),
                    d.testSize() < 0 ? "?" : d.testSize(), d.needs().isEmpty() ? "-" : String.join(",", d.needs()), source);
        }
        out.println("needs: judge = a judge model scores it; gpu = a CUDA GPU with PyTorch; rdkit = Python with RDKit (python3-rdkit)");
        return 0;
    }
}
