package io.mocoj.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes one trained artifact that is not a model the trainer saved itself (for example Co-LLM's
 * deferral head) to the file the engine chooses; see {@link io.mocoj.method.MethodContext#saveArtifact}.
 */
@FunctionalInterface
public interface ArtifactWriter {
    /** Writes the artifact to {@code file} (which does not exist yet). */
    void write(Path file) throws IOException;
}
