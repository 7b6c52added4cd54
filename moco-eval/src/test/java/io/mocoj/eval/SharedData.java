package io.mocoj.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the shared MoCo data files (never committed) for tests and benchmark programs. */
final class SharedData {
    private SharedData() {}

    /** The data folder: the system property {@code mocoj.shared.data}, else {@code ../shared/moco-data} from the repository root. */
    static Optional<Path> folder() {
        String prop = System.getProperty("mocoj.shared.data");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Optional.of(Path.of(prop));
        for (Path p : new Path[] {Path.of("../shared/moco-data"), Path.of("../../shared/moco-data")}) {
            if (Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** One task file parsed, if present. */
    static Optional<JsonNode> task(String name) {
        return folder().map(f -> f.resolve(name + ".json")).filter(Files::isRegularFile).map(p -> {
            try {
                return new ObjectMapper().readTree(p.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        });
    }
}
