package io.mocoj.datasets;

import java.util.Optional;

/**
 * A dataset file (or in-memory record) does not have the expected shape. The message has the form
 * {@code gsm8k.json: test[17].output: expected a string, found an object}.
 */
public final class DatasetFormatException extends DatasetException {
    private final String file;
    private final String split;
    private final int index;
    private final String field;
    private final String problem;

    /**
     * @param file    the file name (or a label for in-memory data)
     * @param split   {@code dev} or {@code test}, or null when the problem is outside the splits
     * @param index   the example's 0-based index in its split, or -1
     * @param field   the field path inside the example (e.g. {@code choices.B}) or the top-level key, or null
     * @param problem what was expected and what was found
     */
    public DatasetFormatException(String file, String split, int index, String field, String problem) {
        this(file, split, index, field, problem, null);
    }

    public DatasetFormatException(String file, String split, int index, String field, String problem, Throwable cause) {
        super(format(file, split, index, field, problem), cause);
        this.file = file;
        this.split = split;
        this.index = index;
        this.field = field;
        this.problem = problem;
    }

    static String format(String file, String split, int index, String field, String problem) {
        StringBuilder where = new StringBuilder();
        if (split != null) {
            where.append(split);
            if (index >= 0) where.append('[').append(index).append(']');
        }
        if (field != null) {
            if (!where.isEmpty()) where.append('.');
            where.append(field);
        }
        return file + ": " + (where.isEmpty() ? "" : where + ": ") + problem;
    }

    public String file() { return file; }

    public Optional<String> split() { return Optional.ofNullable(split); }

    /** The example index in its split, or -1. */
    public int index() { return index; }

    public Optional<String> field() { return Optional.ofNullable(field); }

    /** The problem without the location prefix. */
    public String problem() { return problem; }
}
