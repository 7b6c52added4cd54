package io.mocoj.internal.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's temporary files ({@code .tmp-*.json}, written then renamed into place). A write
 * killed half-way leaves one behind; {@link #removeStale} deletes them when a run starts. Nothing
 * ever reads a temporary file.
 */
final class TempFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);
    static final String PREFIX = ".tmp-";
    /** A non-empty temporary file younger than this may belong to a concurrent writer and is kept. */
    private static final Duration STALE = Duration.ofMinutes(1);

    private TempFiles() {}

    /**
     * Deletes the stale temporary files directly in {@code dir}: every empty one (a concurrent writer
     * whose file vanishes simply re-creates it) and every other one older than a minute.
     *
     * @return how many were deleted
     */
    static int removeStale(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        Instant cutoff = Instant.now().minus(STALE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : ds) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (!a.isRegularFile()) continue;
                    if (a.size() == 0 || a.lastModifiedTime().toInstant().isBefore(cutoff)) {
                        if (Files.deleteIfExists(p)) removed++;
                    }
                } catch (IOException e) {
                    LOG.debug("cannot remove temporary file {}: {}", p, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {} for temporary files: {}", dir, e.toString());
        }
        if (removed > 0) LOG.info("removed {} stale temporary file(s) left by an interrupted write in {}", removed, dir);
        return removed;
    }
}
