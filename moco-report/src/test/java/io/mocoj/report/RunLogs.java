package io.mocoj.report;

import io.mocoj.Run;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.datasets.Datasets;
import java.nio.file.Path;

/** Real run logs for the report tests: the repository's example configs run on simulated models. */
final class RunLogs {
    private RunLogs() {}

    static final Path CONFIGS = Path.of("..", "examples", "configs");

    /** Runs {@code examples/configs/<name>} (with baselines, no cache) and returns the run log it wrote. */
    static Path run(String name, Path logDir) {
        return runConfig(CONFIGS.resolve(name), logDir);
    }

    /** Runs a config file (with baselines, no cache) and returns the run log it wrote. */
    static Path runConfig(Path config, Path logDir) {
        MocoConfig cfg = MocoConfig.read(config);
        Run run = ConfigRuns.toBuilder(cfg, c -> Datasets.custom("demo_mcq").fromJson(c.resolve(c.task())))
                .logDir(logDir).build();
        run.execute();
        return run.logFile().orElseThrow();
    }
}
