package io.mocoj.internal.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mocoj.RunReport;
import io.mocoj.model.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes a {@link RunReport} as MoCo's run log: one JSON file per run named
 * {@code <task>_<models>_<score>_<method>.json} (a numeric suffix is added rather than overwrite an
 * earlier log), written atomically.
 */
public final class RunLogWriter {
    private RunLogWriter() {}

    /** Numbers stay numbers: NaN and infinities (an unknown cost, a mean of nothing) are written as null. */
    private static final JsonSerializer<Double> FINITE_OR_NULL = new JsonSerializer<>() {
        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v == null || v.isNaN() || v.isInfinite()) g.writeNull(); else g.writeNumber(v);
        }
    };

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(DeterministicJson.module())
            .registerModule(new SimpleModule().addSerializer(Duration.class, new JsonSerializer<>() {
                @Override
                public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeNumber(d.toNanos() / 1e9);
                }
            }).addSerializer(Double.class, FINITE_OR_NULL).addSerializer(Double.TYPE, FINITE_OR_NULL));


    /** The report as JSON text (durations in seconds, NaN as null, maps and sets in a stable order, known secrets redacted). */
    public static String toJson(RunReport report) {
        try {
            String json = MAPPER.writeValueAsString(report);
            if (!Secrets.any()) return json;
            // value by value, not over the text: a short key redacted as a whole word must never hit a
            // field name or a literal (a placeholder key such as "null" or "task" would break the log)
            return MAPPER.writeValueAsString(redacted(MAPPER.readTree(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node} with every known secret removed from its strings and (long values only) its field names. */
    static JsonNode redacted(JsonNode node) {
        if (node.isTextual()) {
            String t = node.textValue();
            String r = Secrets.redactKnown(t);
            return r.equals(t) ? node : TextNode.valueOf(r);
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, redacted(a.get(i)));
            return a;
        }
        if (node instanceof ObjectNode o) {
            ObjectNode out = MAPPER.createObjectNode();
            o.properties().forEach(e -> out.set(Secrets.redactInName(e.getKey()), redacted(e.getValue())));
            return out;
        }
        return node;
    }

    /** Writes the report into {@code dir} and returns the file written. */
    public static Path write(Path dir, RunReport report) {
        String score = Double.isNaN(report.meanScore()) ? "unscored" : String.format(Locale.ROOT, "%.4f", report.meanScore());
        String base = String.format(Locale.ROOT, "%s_%d_%s_%s", safe(report.task()), report.models().size(),
                score, safe(report.method()));
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(base + ".json");
            for (int i = 2; Files.exists(target); i++) target = dir.resolve(base + "-" + i + ".json");
            // a plain new file, so the permissions follow the umask (createTempFile would force 0600); the
            // prefix marks it as a temporary file that a later start removes if this write is killed
            Path tmp = dir.resolve(TempFiles.PREFIX + java.util.UUID.randomUUID() + ".json");
            try {
                Files.writeString(tmp, toJson(report), java.nio.file.StandardOpenOption.CREATE_NEW);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run log into " + dir + ": " + Problems.describe(e), e);
        }
    }

    /** A file-name part: only {@code [A-Za-z0-9._-]}, at most 80 characters (a longer name ends in a short hash), so the file name fits 255 bytes. */
    static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "-");
        return t.length() <= 80 ? t : t.substring(0, 71) + "-" + String.format("%08x", s.hashCode());
    }
}
