package io.mocoj.internal.engine;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.model.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys shorter than {@link Secrets#MIN_LENGTH} are removed where they stand as whole words, from
 * everything written; inside longer words and in JSON field names they are kept.
 */
class ShortSecretsTest {
    private static final Random RANDOM = new Random();

    /** A fresh short key (registration is global to the JVM, so every test uses one no other text contains). */
    static String shortKey(int length) {
        String alphabet = "BCDFGHJKLMNPQRSTVWXZ";
        StringBuilder b = new StringBuilder("Q");
        while (b.length() < length) b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return b.toString();
    }

    @Test
    void aShortKeyIsRemovedAsAWholeWordOnly() {
        String key = shortKey(5);
        Secrets.register(key);
        assertTrue(Secrets.any());
        assertEquals("key [redacted].", Secrets.redactKnown("key " + key + "."));
        assertEquals("?k=[redacted]&x=1 ([redacted]) \"[redacted]\"", Secrets.redactKnown("?k=" + key + "&x=1 (" + key + ") \"" + key + "\""));
        assertEquals("[redacted]", Secrets.redactKnown(key));
        assertEquals("[redacted]-[redacted]", Secrets.redactKnown(key + "-" + key), "- is not a word character");
        for (String inside : List.of("a" + key, key + "b", key + "_", "9" + key, "\u00e9" + key)) {
            assertEquals(inside, Secrets.redactKnown(inside), "inside a longer word it is not the key");
        }
        assertTrue(Secrets.containsKnown("x " + key));
        assertFalse(Secrets.containsKnown("x" + key));
        assertEquals("err: [redacted]", Secrets.redact("err: " + key), "error messages too");
    }

    @Test
    void aOneCharacterKeyIsRegisteredAndItsJsonEscapedFormIsCaught() {
        String key = shortKey(3) + "\"";  // a quote inside: the JSON-escaped form differs
        Secrets.register(key);
        assertEquals("is [redacted] ok", Secrets.redactKnown("is " + key + " ok"));
        String escaped = key.replace("\"", "\\\"");
        assertEquals("{\"t\": \"is [redacted] ok\"}", Secrets.redactKnown("{\"t\": \"is " + escaped + " ok\"}"));
    }

    @Test
    void theRunLogLosesShortKeysFromItsValuesButKeepsItsFieldNames() throws IOException {
        String key = shortKey(4);
        Secrets.register(key);
        JsonNode tree = RunLogWriter.MAPPER.readTree("{\"" + key + "\": \"said " + key + "\", \"list\": [\"" + key + "\", 3, null],"
                + " \"nested\": {\"n\": \"x" + key + "\"}}");
        JsonNode out = RunLogWriter.redacted(tree);
        assertEquals("said [redacted]", out.get(key).asText(), "the field name stays (it is the structure), its value loses the key");
        assertEquals("[redacted]", out.get("list").get(0).asText());
        assertEquals(3, out.get("list").get(1).asInt());
        assertTrue(out.get("list").get(2).isNull());
        assertEquals("x" + key, out.get("nested").get("n").asText());
    }

    @Test
    void theJournalLosesAShortKey(@TempDir Path dir) throws IOException {
        String key = shortKey(6);
        Secrets.register(key);
        try (RunJournal j = new RunJournal(dir.resolve("j.jsonl"))) {
            j.append("test", 0, "id0", "the key is " + key, null);
            j.append("test", 1, "id1", null, "HTTP 401: bad key " + key);
        }
        String text = Files.readString(dir.resolve("j.jsonl"));
        assertFalse(text.contains(key), text);
        assertEquals(2, text.split(java.util.regex.Pattern.quote(Secrets.MASK), -1).length - 1, text);
    }
}
