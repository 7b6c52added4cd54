package io.mocoj.cli.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.eval.Aggregation;
import io.mocoj.eval.PairedComparison;
import io.mocoj.task.Score;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The grid's leaderboard: for every cell, the method against the best single model of its pool on the
 * same examples (paired interval of the difference, bootstrap and McNemar p-values, win/tie/loss), its
 * cost and tokens, the oracle (the best single model per example, an upper bound for routing) and the
 * collaborative-emergence share: the examples where the method scores higher than every single model
 * (for 0/1 scores: solved by the method and by no single model).
 */
public record Leaderboard(List<Row> rows, List<String> missing, int plannedCells) {

    /** One cell of the leaderboard. */
    public record Row(String cell, String task, String method, int pool, long seed, List<String> models, List<String> simulated,
                      int n, double score, double low, double high, String bestSingle, double bestSingleScore,
                      PairedComparison vsBest, double oracle, double emergence, int emergent, Double cost, long tokens, long calls) {}

    /** Reads every {@code cell.json} under {@code logDir/cells} and the plan written by the grid. */
    public static Leaderboard read(Path logDir, Aggregation aggregation) {
        Path cells = logDir.resolve("cells");
        List<CellRecord> records = new ArrayList<>();
        if (Files.isDirectory(cells)) {
            try (Stream<Path> s = Files.list(cells)) {
                for (Path d : s.sorted().toList()) {
                    Path f = d.resolve(CellRecord.FILE);
                    if (Files.isRegularFile(f)) records.add(CellRecord.read(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + cells + ": " + e.getMessage(), e);
            }
        }
        List<String> planned = GridRunner.readPlan(logDir);
        List<String> done = records.stream().map(CellRecord::id).toList();
        List<String> missing = planned.stream().filter(id -> !done.contains(id)).toList();
        records.sort(Comparator.comparingInt(CellRecord::index));
        List<Row> rows = new ArrayList<>();
        for (CellRecord r : records) rows.add(row(r, aggregation));
        return new Leaderboard(List.copyOf(rows), missing, planned.isEmpty() ? records.size() : planned.size());
    }

    /** The row of one cell. */
    public static Row row(CellRecord r, Aggregation aggregation) {
        CellRecord.Result m = r.system();
        CellRecord.Result best = r.baselines().stream().max(Comparator.comparingDouble(CellRecord.Result::mean)).orElse(null);
        PairedComparison vs = null;
        double oracle = Double.NaN, emergence = Double.NaN;
        int emergent = 0;
        if (best != null) {
            try {
                vs = aggregation.compare(scores(m), scores(best));
            } catch (IllegalArgumentException e) {
                vs = null; // no pair of scores (every example failed on one side): shown as "n/a"
            }
            int counted = 0;
            double oracleSum = 0;
            for (int i = 0; i < m.scores().size(); i++) {
                Double x = m.scores().get(i);
                double top = Double.NEGATIVE_INFINITY;
                boolean all = true;
                for (CellRecord.Result b : r.baselines()) {
                    Double y = b.scores().get(i);
                    if (y == null) { all = false; break; }
                    top = Math.max(top, y);
                }
                if (!all || x == null) continue;
                counted++;
                oracleSum += top;
                if (x > top) emergent++;
            }
            if (counted > 0) {
                oracle = oracleSum / counted;
                emergence = (double) emergent / counted;
            }
        }
        return new Row(r.id(), r.task(), r.method(), r.pool(), r.seed(), r.models(), r.simulated(), m.scores().size(),
                m.mean(), m.low(), m.high(), best == null ? null : best.name(), best == null ? Double.NaN : best.mean(), vs,
                oracle, emergence, emergent, m.cost(), m.tokens(), m.calls());
    }

    private static List<Score> scores(CellRecord.Result s) {
        return s.scores().stream().map(v -> v == null ? Score.failure("failed") : Score.of(v, "")).toList();
    }

    /** Cells where the method's mean is above its best single model's, and significantly so (interval above 0). */
    public long ahead() { return rows.stream().filter(r -> r.vsBest() != null && r.vsBest().meanDifference() > 0).count(); }

    public long significantlyAhead() { return rows.stream().filter(r -> r.vsBest() != null && r.vsBest().low() > 0).count(); }

    public boolean complete() { return missing.isEmpty(); }

    /** Markdown: one table per task. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("# Grid leaderboard\n\n");
        if (!complete()) {
            sb.append("**INCOMPLETE: ").append(missing.size()).append(" of ").append(plannedCells)
                    .append(" cells have no result yet** (").append(String.join(", ", missing.stream().limit(10).toList()))
                    .append(missing.size() > 10 ? ", ..." : "").append("). Run the missing shards, then `moco grid merge` again.\n\n");
        }
        List<String> sims = rows.stream().flatMap(r -> r.simulated().stream()).distinct().toList();
        if (!sims.isEmpty()) sb.append("SIMULATED models in this grid: ").append(String.join(", ", sims)).append(".\n\n");
        sb.append(String.format(Locale.ROOT, "The method is ahead of its best single model in %d of %d cells (%s), significantly (95%% paired interval above 0) in %d.%n%n",
                ahead(), rows.size(), pct(rows.isEmpty() ? Double.NaN : (double) ahead() / rows.size()), significantlyAhead()));
        Map<String, List<Row>> byTask = new LinkedHashMap<>();
        rows.forEach(r -> byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r));
        byTask.forEach((task, rs) -> {
            sb.append("## ").append(task).append("\n\n");
            sb.append("| method | pool | seed | n | score [95% CI] | best single | Δ vs best [95% CI] | W/T/L | p | oracle | emergence | cost | tokens |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Row r : rs) {
                PairedComparison c = r.vsBest();
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.4f [%.4f, %.4f] | %s %s | %s | %s | %s | %s | %s | %s | %d |%n",
                        r.method(), r.pool(), r.seed(), r.n(), r.score(), r.low(), r.high(),
                        r.bestSingle() == null ? "–" : r.bestSingle(), r.bestSingle() == null ? "" : String.format(Locale.ROOT, "%.4f", r.bestSingleScore()),
                        c == null ? "n/a" : String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]", c.meanDifference(), c.low(), c.high()),
                        c == null ? "n/a" : c.wins() + "/" + c.ties() + "/" + c.losses(),
                        c == null ? "n/a" : String.format(Locale.ROOT, "%.4f", c.mcNemarPValue().orElse(c.bootstrapPValue())),
                        Double.isNaN(r.oracle()) ? "n/a" : String.format(Locale.ROOT, "%.4f", r.oracle()),
                        Double.isNaN(r.emergence()) ? "n/a" : pct(r.emergence()) + " (" + r.emergent() + ")",
                        r.cost() == null ? "unknown" : String.format(Locale.ROOT, "%.4f", r.cost()), r.tokens()));
            }
            sb.append('\n');
        });
        sb.append("p: exact McNemar for 0/1 scores, else paired bootstrap. Oracle: the best single model on each example. ")
                .append("Emergence: examples where the method beats every single model.\n");
        return sb.toString();
    }

    /** JSON for tools; free of wall times, so a sharded grid and a single-process one give the same bytes. */
    public ObjectNode toJson() {
        ObjectNode root = CellRecord.JSON.createObjectNode();
        root.put("planned_cells", plannedCells).put("complete", complete());
        root.putPOJO("missing", missing);
        root.put("ahead", ahead()).put("significantly_ahead", significantlyAhead());
        ArrayNode rs = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = rs.addObject();
            o.put("cell", r.cell()).put("task", r.task()).put("method", r.method()).put("pool", r.pool()).put("seed", r.seed());
            o.putPOJO("models", r.models());
            o.putPOJO("simulated", r.simulated());
            o.put("n", r.n()).put("score", r.score()).put("low", r.low()).put("high", r.high());
            o.put("best_single", r.bestSingle());
            num(o, "best_single_score", r.bestSingleScore());
            PairedComparison c = r.vsBest();
            if (c == null) {
                o.putNull("vs_best");
            } else {
                ObjectNode v = o.putObject("vs_best");
                v.put("pairs", c.pairs()).put("wins", c.wins()).put("ties", c.ties()).put("losses", c.losses())
                        .put("mean_difference", c.meanDifference()).put("low", c.low()).put("high", c.high())
                        .put("bootstrap_p", c.bootstrapPValue());
                if (c.mcNemarPValue().isPresent()) v.put("mcnemar_p", c.mcNemarPValue().getAsDouble()); else v.putNull("mcnemar_p");
            }
            num(o, "oracle", r.oracle());
            num(o, "emergence", r.emergence());
            o.put("emergent", r.emergent());
            if (r.cost() == null) o.putNull("cost"); else o.put("cost", r.cost());
            o.put("tokens", r.tokens()).put("calls", r.calls());
        }
        return root;
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v); else o.putNull(k);
    }

    private static String pct(double x) { return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * x); }

    /** Writes leaderboard.md and leaderboard.json into the log folder; returns the Markdown file. */
    public Path write(Path logDir) {
        try {
            Files.createDirectories(logDir);
            Path md = logDir.resolve("leaderboard.md");
            Files.writeString(md, toMarkdown());
            Files.write(logDir.resolve("leaderboard.json"), CellRecord.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
            return md;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the leaderboard into " + logDir + ": " + e.getMessage(), e);
        }
    }
}
