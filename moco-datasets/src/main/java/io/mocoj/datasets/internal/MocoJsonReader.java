package io.mocoj.datasets.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.mocoj.datasets.DatasetException;
import io.mocoj.datasets.DatasetFormatException;
import io.mocoj.datasets.FieldMapping;
import io.mocoj.task.Example;
import io.mocoj.task.TaskType;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streaming reader for MoCo dataset files ({@code {"name", "task_type", "dev": [...], "test": [...]}}) and
 * for JSON Lines files. Examples are converted one at a time, so memory stays close to the size of the
 * resulting {@link Example}s rather than a tree of the whole file.
 */
public final class MocoJsonReader {
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    /** The content of a MoCo file. {@code nameInFile} and {@code typeInFile} may be null when absent. */
    public record Parsed(String nameInFile, TaskType typeInFile, TaskType type, List<Example> dev, List<Example> test) {}

    private MocoJsonReader() {}

    /**
     * Reads a MoCo-format file.
     *
     * @param label        file name used in messages
     * @param explicitType a type that overrides the file's {@code task_type}, or null
     * @param expectedType the type the file must declare (registry tasks), or null
     */
    public static Parsed readMoco(InputStream in, String label, TaskType explicitType, TaskType expectedType, FieldMapping mapping) {
        JsonValues values = new JsonValues();
        String name = null;
        TaskType fileType = null;
        TaskType convType = explicitType != null ? explicitType : expectedType;
        ExampleConverter converter = convType == null ? null : new ExampleConverter(label, convType, mapping);
        List<Example> dev = null, test = null;
        List<Map<String, Object>> devRaw = null, testRaw = null; // only when the type is not known yet
        String split = null;
        int index = -1;
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new DatasetFormatException(label, null, -1, null, "expected a JSON object {\"name\", \"task_type\", \"dev\", \"test\"} at the top level, found " + JsonValues.describe(first));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (key) {
                    case "name", "dataset" -> {
                        if (t != JsonToken.VALUE_STRING) throw new DatasetFormatException(label, null, -1, key, "expected a string, found " + JsonValues.describe(t));
                        name = p.getText();
                    }
                    case "task_type" -> {
                        if (t != JsonToken.VALUE_STRING) throw new DatasetFormatException(label, null, -1, key, "expected a string, found " + JsonValues.describe(t));
                        try {
                            fileType = TaskType.fromConfigName(p.getText());
                        } catch (IllegalArgumentException e) {
                            throw new DatasetFormatException(label, null, -1, key, e.getMessage());
                        }
                        if (expectedType != null && explicitType == null && fileType != expectedType) {
                            throw new DatasetFormatException(label, null, -1, key, "expected \"" + expectedType.configName()
                                    + "\" for this task, found \"" + fileType.configName() + "\"");
                        }
                        if (converter == null) {
                            convType = fileType;
                            converter = new ExampleConverter(label, convType, mapping);
                        }
                    }
                    case "dev", "test" -> {
                        if ((key.equals("dev") ? (dev != null || devRaw != null) : (test != null || testRaw != null))) {
                            throw new DatasetFormatException(label, null, -1, key, "appears twice");
                        }
                        if (t != JsonToken.START_ARRAY) throw new DatasetFormatException(label, key, -1, null, "expected an array of examples, found " + JsonValues.describe(t));
                        split = key;
                        index = 0;
                        List<Example> out = converter != null ? new ArrayList<>() : null;
                        List<Map<String, Object>> raw = converter == null ? new ArrayList<>() : null;
                        JsonToken et;
                        while ((et = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (et != JsonToken.START_OBJECT) throw new DatasetFormatException(label, split, index, null, "expected an object, found " + JsonValues.describe(et));
                            @SuppressWarnings("unchecked") Map<String, Object> rec = (Map<String, Object>) values.read(p);
                            if (converter != null) out.add(converter.convert(rec, split, index));
                            else raw.add(rec);
                            index++;
                        }
                        if (key.equals("dev")) { dev = out; devRaw = raw; } else { test = out; testRaw = raw; }
                        split = null;
                        index = -1;
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new DatasetFormatException(label, null, -1, null, "expected the end of the top-level object, found " + JsonValues.describe(p.currentToken()));
            }
            if (p.nextToken() != null) {
                throw new DatasetFormatException(label, null, -1, null, "unexpected content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new DatasetFormatException(label, split, split == null ? -1 : index, null, "invalid JSON" + at + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new DatasetException(label + ": could not read" + (split == null ? "" : " (inside " + split + "[" + index + "])") + ": " + e, e);
        }
        if (dev == null && devRaw == null && test == null && testRaw == null) {
            throw new DatasetFormatException(label, null, -1, null, "has neither a \"dev\" nor a \"test\" array of examples");
        }
        if (converter == null) {
            throw new DatasetFormatException(label, null, -1, "task_type", "missing: add \"task_type\" to the file or give the type when loading");
        }
        if (devRaw != null) dev = convertAll(converter, devRaw, "dev");
        if (testRaw != null) test = convertAll(converter, testRaw, "test");
        return new Parsed(name, fileType, convType, dev == null ? List.of() : dev, test == null ? List.of() : test);
    }

    private static List<Example> convertAll(ExampleConverter c, List<Map<String, Object>> raw, String split) {
        List<Example> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) out.add(c.convert(raw.get(i), split, i));
        return out;
    }

    /**
     * Reads a JSON Lines file: one JSON object per line, blank lines ignored. Errors name the line as
     * {@code split[index]} with the index counting examples (0-based), plus the line number.
     */
    public static List<Example> readJsonl(InputStream in, String label, String split, TaskType type, FieldMapping mapping) {
        ExampleConverter converter = new ExampleConverter(label, type, mapping);
        JsonValues values = new JsonValues();
        List<Example> out = new ArrayList<>();
        int index = 0;
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken t;
            while (true) {
                try {
                    t = p.nextToken();
                } catch (JsonProcessingException e) {
                    throw syntax(label, split, index, e);
                }
                if (t == null) break;
                if (t != JsonToken.START_OBJECT) {
                    throw new DatasetFormatException(label, split, index, null, "expected one JSON object per line, found " + JsonValues.describe(t)
                            + " at line " + p.currentLocation().getLineNr());
                }
                Map<String, Object> rec;
                try {
                    @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) values.read(p);
                    rec = r;
                } catch (JsonProcessingException e) {
                    throw syntax(label, split, index, e);
                }
                out.add(converter.convert(rec, split, index));
                index++;
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException(label + ": could not read: " + e, e);
        }
        return out;
    }

    private static DatasetFormatException syntax(String label, String split, int index, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return new DatasetFormatException(label, split, index, null, "invalid JSON" + at + ": " + firstLine(e.getOriginalMessage()), e);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
