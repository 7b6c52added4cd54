package io.mocoj;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Validates run logs against the published schema, docs/run-log.schema.json, with networknt's validator. */
final class RunLogSchema {
    static final Path SCHEMA_FILE = Path.of("../docs/run-log.schema.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonSchema schema;

    private RunLogSchema() {}

    static synchronized JsonSchema schema() {
        if (schema == null) {
            try {
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(MAPPER.readTree(SCHEMA_FILE.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    /** Asserts that the file is a valid run log and returns it parsed. */
    static JsonNode assertValid(Path log) {
        try {
            JsonNode n = MAPPER.readTree(Files.readString(log));
            Set<ValidationMessage> errors = schema().validate(n);
            assertTrue(errors.isEmpty(), log + " does not match the run-log schema: " + errors);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
