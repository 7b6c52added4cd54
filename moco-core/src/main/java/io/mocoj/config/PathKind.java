package io.mocoj.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What a path is, in words, for messages that say what was found and what was expected. */
public final class PathKind {
    public static final String REGULAR_FILE = "a regular file";
    public static final String DIRECTORY = "a folder";
    public static final String MISSING = "missing";

    private PathKind() {}

    /**
     * {@value #REGULAR_FILE}, {@value #DIRECTORY}, "a character device", "a block device", "a named
     * pipe (FIFO)", "a socket", "a broken symbolic link", or {@value #MISSING}; symbolic links are followed.
     */
    public static String of(Path p) {
        if (!Files.exists(p)) {
            return Files.isSymbolicLink(p) ? "a broken symbolic link" : MISSING;
        }
        if (Files.isRegularFile(p)) return REGULAR_FILE;
        if (Files.isDirectory(p)) return DIRECTORY;
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return switch (mode & 0170000) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a named pipe (FIFO)";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? "a special file" : MISSING;
        }
    }
}
