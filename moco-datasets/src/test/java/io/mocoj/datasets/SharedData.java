package io.mocoj.datasets;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the shared MoCo data folder: system property {@code mocoj.shared.data}, else {@code ../shared/moco-data} from the repository root. */
final class SharedData {
    private SharedData() {}

    static Optional<Path> find() {
        String prop = System.getProperty("mocoj.shared.data");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Optional.of(Path.of(prop));
        // tests run in the module directory; the repository root is its parent
        for (Path p : new Path[] {Path.of("..", "..", "shared", "moco-data"), Path.of("..", "shared", "moco-data")}) {
            if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("gsm8k.json"))) return Optional.of(p.toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    /** The folder, or skips the calling test with a message. */
    static Path require() {
        Optional<Path> p = find();
        Assumptions.assumeTrue(p.isPresent(), "shared MoCo data not found (system property mocoj.shared.data or ../shared/moco-data); skipping");
        return p.get();
    }
}
