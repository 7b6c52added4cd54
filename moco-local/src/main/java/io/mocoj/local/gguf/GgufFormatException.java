package io.mocoj.local.gguf;

import java.nio.file.Path;

/** A GGUF file that cannot be read: says which file, at which byte offset, and what is wrong. */
public class GgufFormatException extends RuntimeException {
    private final transient Path file;
    private final long offset;

    public GgufFormatException(Path file, long offset, String problem) {
        super(file + " (byte offset " + offset + "): " + problem);
        this.file = file;
        this.offset = offset;
    }

    public GgufFormatException(Path file, long offset, String problem, Throwable cause) {
        super(file + " (byte offset " + offset + "): " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The file that was being read. */
    public Path file() { return file; }

    /** The byte offset in the file where the problem was found. */
    public long offset() { return offset; }
}
