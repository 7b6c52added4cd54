package io.mocoj.internal.engine;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Plain-words descriptions of file-system failures (instead of an exception class name). */
public final class Problems {
    private Problems() {}

    /** E.g. "permission denied on /x", "/x/y exists and is not a folder", "file name too long: /x/...". */
    public static String describe(Throwable e) {
        if (e instanceof AccessDeniedException a) return "permission denied on " + a.getFile();
        if (e instanceof FileAlreadyExistsException f) return f.getFile() + " exists and is not a folder";
        if (e instanceof NotDirectoryException n) return n.getFile() + " is not a folder";
        if (e instanceof NoSuchFileException n) return n.getFile() + " does not exist";
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() == null ? "failed" : f.getReason();
            if (reason.contains("File name too long")) return "file name too long (a file name may have at most 255 bytes): " + f.getFile();
            if (reason.contains("Read-only file system")) return "read-only file system: " + f.getFile();
            if (reason.contains("Not a directory")) return "a part of " + f.getFile() + " is a file, not a folder";
            if (reason.contains("No space left")) return "no space left on the device holding " + f.getFile();
            return reason.toLowerCase(java.util.Locale.ROOT) + ": " + f.getFile();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
