package io.mocoj.cli.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What one finished grid cell leaves for the leaderboard ({@code cell.json} in the cell's folder):
 * the method's and every single model's per-example scores, interval, calls, tokens and cost. Written
 * atomically; its presence marks the cell done, so a resumed or sharded grid skips it.
 */
public record CellRecord(String id, int index, String task, String method, int pool, long seed, List<String> models,
                         List<String> simulated, Result system, List<Result> baselines, double wallSeconds) {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String FILE = "cell.json";

    /** One system's result on the cell's test split; a null score is an example that failed. */
    public record Result(String name, double mean, double low, double high, int failed, long calls, long tokens,
                         Double cost, List<Double> scores) {}

    static CellRecord of(GridSpec.Cell cell, RunReport r) {
        List<Result> bases = new ArrayList<>();
        for (RunReport.Baseline b : r.baselines()) bases.add(system(b.model(), b.summary(), b.examples()));
        return new CellRecord(cell.id(), cell.index(), cell.task(), cell.method(), cell.pool(), cell.seed(),
                r.models().stream().map(RunReport.ModelInfo::name).toList(),
                r.models().stream().filter(RunReport.ModelInfo::simulated).map(RunReport.ModelInfo::name).toList(),
                system(r.method(), r.summary(), r.examples()), bases, r.wallTime().toMillis() / 1000.0);
    }

    private static Result system(String name, RunReport.Summary s, List<RunReport.ExampleResult> examples) {
        List<Double> scores = new ArrayList<>(examples.size());
        for (RunReport.ExampleResult e : examples) scores.add(e.failed() || e.scoreFailed() ? null : e.score());
        double cost = s.totalCost();
        return new Result(name, s.mean(), s.interval().low(), s.interval().high(), s.failed(), s.totalCalls(), s.totalTokens(),
                Double.isFinite(cost) ? cost : null, scores);
    }

    void write(Path dir) {
        ObjectNode n = JSON.valueToTree(this);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-cell-", ".json");
            try {
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    static CellRecord read(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return JSON.treeToValue(n, CellRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read grid cell " + file + ": " + e.getMessage(), e);
        }
    }
}
