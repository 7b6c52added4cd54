package io.mocoj.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.report.internal.Charts;
import io.mocoj.report.internal.HtmlReport;
import io.mocoj.report.internal.LogView;
import io.mocoj.report.internal.MarkdownReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports of run logs: {@code RunLogReports.write(Path.of("logs/run.json"), ReportFormat.HTML, null)}
 * writes {@code logs/run.html} next to the log. The page has the comparison table with intervals,
 * the per-group breakdown, charts (score with 95% interval, cost or tokens against score with the
 * Pareto frontier, latency per model) and a per-example browser (wins, losses and ties against the
 * best single model, every model's response, the method's trace). Fields a log has beyond the
 * ones every MoCo-J log has (a degraded-run note, per-example model calls, run metadata) are shown too.
 */
public final class RunLogReports {
    private RunLogReports() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The HTML page for run-log JSON text. */
    public static String html(String runLogJson) {
        return HtmlReport.render(LogView.of(parse(runLogJson, "the run log")));
    }

    /**
     * Writes the report of {@code log} in {@code format} to {@code out} (null: the log's path with
     * the format's extension) and returns every file written (Markdown adds one SVG per chart).
     *
     * @throws IllegalArgumentException when the log does not exist or is not a MoCo-J run log
     */
    public static List<Path> write(Path log, ReportFormat format, Path out) {
        String text;
        try {
            text = Files.readString(log);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("run log " + log + " does not exist; give the .json file a run wrote into its log directory");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run log " + log + ": " + e.getMessage(), e);
        }
        return write(text, log.toString(), format, out != null ? out : sibling(log, format.extension()));
    }

    /** Writes the report of run-log JSON text (named {@code source} in errors) to {@code out}. */
    public static List<Path> write(String runLogJson, String source, ReportFormat format, Path out) {
        LogView view = LogView.of(parse(runLogJson, source));
        List<Path> written = new ArrayList<>();
        if (format == ReportFormat.HTML) {
            writeAtomically(out, HtmlReport.render(view));
        } else {
            List<Charts.Svg> charts = Charts.all(view);
            Map<String, String> files = new LinkedHashMap<>();
            String stem = out.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            for (Charts.Svg c : charts) {
                String name = stem + "-" + c.id().replace("chart-", "") + ".svg";
                files.put(c.id(), name);
                Path svg = out.resolveSibling(name);
                writeAtomically(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + c.svg());
                written.add(svg);
            }
            writeAtomically(out, MarkdownReport.render(view, charts, files));
        }
        written.add(0, out);
        return List.copyOf(written);
    }

    /**
     * Writes {@code leaderboard.html} beside a grid's {@code leaderboard.json} (per task: a chart of each cell's
     * paired difference to its best single model with the 95% interval, and the leaderboard table) and returns it.
     *
     * @throws IllegalArgumentException when the file does not exist or is not a grid leaderboard
     */
    public static Path writeLeaderboard(Path leaderboardJson) {
        String text;
        try {
            text = Files.readString(leaderboardJson);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("leaderboard " + leaderboardJson + " does not exist; run `moco grid` or `moco grid merge` first");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + leaderboardJson + ": " + e.getMessage(), e);
        }
        Path out = sibling(leaderboardJson, "html");
        try {
            writeAtomically(out, io.mocoj.report.internal.LeaderboardHtml.render(parse(text, leaderboardJson.toString())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(leaderboardJson + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static JsonNode parse(String json, String source) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage());
        }
    }

    private static Path sibling(Path log, String ext) {
        String name = log.getFileName().toString().replaceFirst("\\.json$", "");
        return log.resolveSibling(name + "." + ext);
    }

    private static void writeAtomically(Path target, String text) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-report-", ".part");
            try {
                Files.writeString(tmp, text);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + target + ": " + e.getMessage(), e);
        }
    }
}
