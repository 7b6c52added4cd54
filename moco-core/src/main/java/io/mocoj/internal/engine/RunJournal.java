package io.mocoj.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.model.Secrets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each finished test example (index, id, output or error) to a JSON-lines file as it
 * completes, so finished work is on disk even if the run is killed. The file is created with the
 * first entry (a run that finishes nothing leaves no file) and removed by the runner when the run
 * ends, however it ends. Thread-safe.
 */
final class RunJournal implements AutoCloseable {
    private final Path file;
    private BufferedWriter out;

    RunJournal(Path file) { this.file = file; }

    private BufferedWriter out() {
        if (out == null) {
            try {
                Files.createDirectories(file.getParent());
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the run journal " + file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    Path file() { return file; }

    synchronized void append(String phase, int index, String id, String output, String error) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("phase", phase).put("index", index).put("id", id);
        if (output != null) n.put("output", Secrets.redactKnown(output));
        if (error != null) n.put("error", Secrets.redactKnown(error));
        try {
            BufferedWriter w = out();
            w.write(Json.MAPPER.writeValueAsString(n));
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the run journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override public synchronized void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
