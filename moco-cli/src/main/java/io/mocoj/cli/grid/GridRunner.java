package io.mocoj.cli.grid;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.RunBuilder;
import io.mocoj.RunReport;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.task.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs grid cells one after another, each as an ordinary run with its own run log under
 * {@code logDir/cells/<cell id>/}, all sharing one response cache (identical calls across cells, and
 * across shards on a shared disk, are made once). A cell whose {@code cell.json} exists is skipped,
 * so an interrupted grid resumes where it stopped.
 */
public final class GridRunner {
    public static final String PLAN = "grid-plan.json";

    private GridRunner() {}

    /** What a grid process did. */
    public record Outcome(int ran, int skipped, List<String> failed) {}

    public static Outcome run(GridSpec spec, List<GridSpec.Cell> cells, Path logDir, Path cacheDir,
                              Function<MocoConfig, Task> taskLoader, Consumer<RunBuilder> customize, PrintWriter out) {
        writePlan(spec, logDir);
        int ran = 0, skipped = 0;
        List<String> failed = new ArrayList<>();
        for (GridSpec.Cell cell : cells) {
            Path dir = logDir.resolve("cells").resolve(cell.id());
            if (Files.isRegularFile(dir.resolve(CellRecord.FILE))) {
                skipped++;
                out.println("grid: cell " + (cell.index() + 1) + "/" + spec.cells().size() + " " + cell.id() + " already done");
                continue;
            }
            out.println("grid: cell " + (cell.index() + 1) + "/" + spec.cells().size() + " " + cell.id());
            out.flush();
            RunBuilder b = ConfigRuns.toBuilder(cell.config(), taskLoader).baselines(true).logDir(dir);
            if (cacheDir != null) b.cacheDir(cacheDir);
            customize.accept(b);
            try {
                RunReport r = b.execute();
                CellRecord.of(cell, r).write(dir);
                ran++;
                out.println(String.format(java.util.Locale.ROOT, "grid:   %s %.4f [%.4f, %.4f]%s", r.method(), r.meanScore(),
                        r.summary().interval().low(), r.summary().interval().high(),
                        r.summary().failed() > 0 ? " (" + r.summary().failed() + " failed examples)" : ""));
            } catch (RuntimeException e) {
                failed.add(cell.id() + ": " + e.getMessage());
                out.println("grid:   FAILED: " + e.getMessage());
            }
        }
        return new Outcome(ran, skipped, List.copyOf(failed));
    }

    private static void writePlan(GridSpec spec, Path logDir) {
        try {
            Files.createDirectories(logDir);
            var plan = CellRecord.JSON.createObjectNode();
            plan.put("grid", spec.source().getFileName().toString());
            var ids = plan.putArray("cells");
            spec.cells().forEach(c -> ids.add(c.id()));
            Path tmp = Files.createTempFile(logDir, ".tmp-plan-", ".json");
            try {
                Files.write(tmp, CellRecord.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(plan));
                Files.move(tmp, logDir.resolve(PLAN), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logDir.resolve(PLAN) + ": " + e.getMessage(), e);
        }
    }

    /** The cell ids a grid planned, or empty when no plan is there. */
    static List<String> readPlan(Path logDir) {
        Path p = logDir.resolve(PLAN);
        if (!Files.isRegularFile(p)) return List.of();
        try {
            JsonNode n = CellRecord.JSON.readTree(p.toFile());
            List<String> ids = new ArrayList<>();
            n.path("cells").forEach(c -> ids.add(c.asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
