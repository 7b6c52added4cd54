package io.mocoj.cli;

import io.mocoj.cli.grid.GridRunner;
import io.mocoj.cli.grid.GridSpec;
import io.mocoj.cli.grid.Leaderboard;
import io.mocoj.eval.Aggregation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moco grid -c grid.json -l logs [--shard I/N]}: runs methods × tasks × pools × seeds, each cell
 * an ordinary run, and writes a leaderboard; {@code moco grid merge -l logs} builds it from every
 * shard's cells. Exit codes: 0 done, 1 a cell failed or (merge) cells are missing, 2 bad input.
 */
@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs an experiment grid (methods x tasks x pools x seeds), optionally one shard of it, and writes a leaderboard.",
        subcommands = GridCommand.Merge.class)
final class GridCommand implements Callable<Integer> {
    static final String INDEX_ENV = "JOB_COMPLETION_INDEX", COUNT_ENV = "MOCO_SHARD_COUNT";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the grid file")
    Path grid;

    @Option(names = {"-l", "--log-dir"}, paramLabel = "DIR", defaultValue = "logs", description = "where cells, the plan and the leaderboard go (default: ${DEFAULT-VALUE})")
    Path logDir;

    @Option(names = "--shard", paramLabel = "I/N", description = "run only shard I of N (0-based); default: $" + INDEX_ENV + " of $" + COUNT_ENV + " when set")
    String shard;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "shared response cache (default: <log dir>/.cache)")
    Path cacheDir;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding <task>.json files (also MOCO_DATA_DIR)")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", description = "use at most N examples of each split in every cell")
    Integer limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment, replaceable in tests. */
    static Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (grid == null) throw new IllegalArgumentException("missing -c <grid.json> (see moco grid --help), or use `moco grid merge -l DIR`");
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1, not " + limit);
        GridSpec g = GridSpec.read(grid);
        int[] s = shard();
        List<GridSpec.Cell> cells = s == null ? g.cells() : g.shard(s[0], s[1]);
        out.println("grid: " + g.cells().size() + " cells" + (s == null ? "" : "; shard " + s[0] + "/" + s[1] + " runs " + cells.size()));
        MocoCli loader = new MocoCli();
        loader.dataDir = dataDir;
        Path cache = cacheDir != null ? cacheDir : logDir.resolve(".cache");
        GridRunner.Outcome o = GridRunner.run(g, cells, logDir, cache, loader::loadTask, b -> { if (limit != null) b.limit(limit); }, out);
        out.println("grid: ran " + o.ran() + ", already done " + o.skipped() + ", failed " + o.failed().size());
        Leaderboard board = Leaderboard.read(logDir, Aggregation.defaults());
        if (s == null || board.complete()) {
            Path md = board.write(logDir);
            out.print(board.toMarkdown());
            out.println("leaderboard: " + md);
            out.println("leaderboard: " + io.mocoj.report.RunLogReports.writeLeaderboard(logDir.resolve("leaderboard.json")));
        } else {
            out.println("grid: " + board.missing().size() + " cells of other shards are not done yet; run `moco grid merge -l " + logDir + "` when every shard has finished");
        }
        o.failed().forEach(f -> spec.commandLine().getErr().println("moco grid: cell failed: " + f));
        return o.failed().isEmpty() ? 0 : 1;
    }

    private int[] shard() {
        String text = shard;
        String where = "--shard";
        if (text == null && env.get(INDEX_ENV) != null) {
            String count = env.get(COUNT_ENV);
            if (count == null) throw new IllegalArgumentException("$" + INDEX_ENV + " is set but $" + COUNT_ENV + " is not: set it to the Job's completions");
            text = env.get(INDEX_ENV) + "/" + count;
            where = "$" + INDEX_ENV + "/$" + COUNT_ENV;
        }
        if (text == null) return null;
        String[] p = text.split("/");
        try {
            if (p.length != 2) throw new NumberFormatException();
            int i = Integer.parseInt(p[0].strip()), n = Integer.parseInt(p[1].strip());
            if (n < 1 || i < 0 || i >= n) throw new NumberFormatException();
            return new int[] {i, n};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                    + "'; expected I/N with 0 <= I < N, e.g. 0/4");
        }
    }

    /** {@code moco grid merge -l logs}: the leaderboard from every shard's finished cells. */
    @Command(name = "merge", mixinStandardHelpOptions = true, description = "Builds the leaderboard from the cells every shard wrote into the log folder.")
    static final class Merge implements Callable<Integer> {
        @Option(names = {"-l", "--log-dir"}, paramLabel = "DIR", defaultValue = "logs", description = "the grid's log folder (default: ${DEFAULT-VALUE})")
        Path logDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isDirectory(logDir)) throw new IllegalArgumentException("log folder " + logDir + " does not exist (give the -l of the grid runs)");
            Leaderboard board = Leaderboard.read(logDir, Aggregation.defaults());
            if (board.rows().isEmpty()) throw new IllegalArgumentException("no finished grid cell under " + logDir.resolve("cells"));
            Path md = board.write(logDir);
            spec.commandLine().getOut().print(board.toMarkdown());
            spec.commandLine().getOut().println("leaderboard: " + md);
            spec.commandLine().getOut().println("leaderboard: " + io.mocoj.report.RunLogReports.writeLeaderboard(logDir.resolve("leaderboard.json")));
            if (!board.complete()) {
                spec.commandLine().getErr().println("moco grid merge: " + board.missing().size() + " of " + board.plannedCells() + " cells are missing");
                return 1;
            }
            return 0;
        }
    }
}
