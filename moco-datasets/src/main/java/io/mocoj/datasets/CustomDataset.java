package io.mocoj.datasets;

import io.mocoj.datasets.internal.Catalog;
import io.mocoj.datasets.internal.ExampleConverter;
import io.mocoj.datasets.internal.MocoJsonReader;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Your own data as a {@link Task}: a MoCo-format JSON file, JSON Lines files or in-memory records, with a
 * {@link FieldMapping} when your keys differ from MoCo's. Create with {@link Datasets#custom(String)}.
 *
 * <pre>{@code
 * Task t = Datasets.custom("quiz")
 *         .type(TaskType.MULTIPLE_CHOICE)
 *         .mapping(FieldMapping.builder().input("prompt").answer("label").build())
 *         .fromJsonl(Path.of("quiz-dev.jsonl"), Path.of("quiz-test.jsonl"));
 * }</pre>
 */
public final class CustomDataset {
    private final String name;
    private TaskType type;
    private FieldMapping mapping;
    private String description = "";

    CustomDataset(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a custom dataset needs a non-blank name");
        this.name = name;
        // a dataset named like one whose answers are a list in a string (popqa) is read that way, as the loader does
        this.mapping = Catalog.answerListInString(name) ? FieldMapping.builder().answerListInString(true).build() : FieldMapping.MOCO;
    }

    /** The task type; required for JSON Lines and in-memory records, and overrides {@code task_type} of a MoCo file. */
    public CustomDataset type(TaskType type) { this.type = Objects.requireNonNull(type, "type"); return this; }

    /**
     * Which keys hold the id, input, choices and answer (default: MoCo's names; for a dataset named
     * {@code popqa}, also MoCo's list-in-a-string answers).
     */
    public CustomDataset mapping(FieldMapping mapping) { this.mapping = Objects.requireNonNull(mapping, "mapping"); return this; }

    /** A one-line description carried by the task. */
    public CustomDataset description(String description) { this.description = Objects.requireNonNullElse(description, ""); return this; }

    /**
     * Reads a MoCo-format file ({@code {"name", "task_type", "dev": [...], "test": [...]}}). The type is
     * {@link #type(TaskType)} when set, else the file's {@code task_type}.
     */
    public Task fromJson(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            MocoJsonReader.Parsed p = MocoJsonReader.readMoco(in, file.getFileName().toString(), type, null, mapping);
            return new Task(name, p.type(), p.dev(), p.test(), description);
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new DatasetException(file + ": could not read: " + e, e);
        }
    }

    /** Reads one JSON Lines file as the test split (dev stays empty). Needs {@link #type(TaskType)}. */
    public Task fromJsonl(Path testFile) {
        return new Task(name, requireType("JSON Lines"), List.of(), readJsonl(testFile, "test"), description);
    }

    /** Reads a dev and a test JSON Lines file. Needs {@link #type(TaskType)}. */
    public Task fromJsonl(Path devFile, Path testFile) {
        TaskType t = requireType("JSON Lines");
        return new Task(name, t, readJsonl(devFile, "dev"), readJsonl(testFile, "test"), description);
    }

    /**
     * Converts in-memory records (maps shaped like the JSON objects of a MoCo file, values String, Number,
     * Boolean, List or Map) with the field mapping. Needs {@link #type(TaskType)}. Errors name the split and index.
     */
    public Task fromRecords(List<? extends Map<String, ?>> dev, List<? extends Map<String, ?>> test) {
        TaskType t = requireType("in-memory records");
        ExampleConverter c = new ExampleConverter(name + " (in memory)", t, mapping);
        return new Task(name, t, convert(c, dev, "dev"), convert(c, test, "test"), description);
    }

    /** Wraps ready-made examples. Needs {@link #type(TaskType)}. */
    public Task fromExamples(List<Example> dev, List<Example> test) {
        return new Task(name, requireType("examples"), dev, test, description);
    }

    private static List<Example> convert(ExampleConverter c, List<? extends Map<String, ?>> records, String split) {
        List<Example> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Map<String, ?> r = records.get(i);
            if (r == null) throw new DatasetFormatException(c.label(), split, i, null, "expected a record, found null");
            @SuppressWarnings("unchecked") Map<String, Object> frozen = (Map<String, Object>) immutableCopy(r);
            out.add(c.convert(frozen, split, i));
        }
        return out;
    }

    /** A deep, unmodifiable copy with JSON-like number types (Integer etc. become Long, Float becomes Double). */
    private static Object immutableCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), immutableCopy(e.getValue()));
            return java.util.Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(immutableCopy(o));
            return java.util.Collections.unmodifiableList(out);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return f.doubleValue();
        return v;
    }

    private List<Example> readJsonl(Path file, String split) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return MocoJsonReader.readJsonl(in, file.getFileName().toString(), split, type, mapping);
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new DatasetException(file + ": could not read: " + e, e);
        }
    }

    private TaskType requireType(String what) {
        if (type == null) {
            throw new IllegalStateException("custom dataset '" + name + "': " + what + " carry no task_type; call .type(TaskType.…) first");
        }
        return type;
    }
}
