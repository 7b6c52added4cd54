package io.mocoj.datasets.internal;

import io.mocoj.datasets.DatasetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Downloads one dataset file into the cache: the body goes to a temporary file in the cache directory
 * while its SHA-256 is computed; only a complete body with the pinned hash is fsync'ed and atomically
 * renamed to {@code <task>.json}. Anything else deletes the temporary file.
 */
public final class Downloader {
    private static final Logger log = LoggerFactory.getLogger(Downloader.class);
    private static final Duration STALE_PART_AGE = Duration.ofHours(1);

    private final HttpClient client;
    private final Duration timeout;

    public Downloader(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * Fetches {@code url} into {@code target} (in the cache directory), verified against {@code sha256}; with a null
     * {@code sha256} (a file whose hash is not pinned) the body is kept unchecked and the caller checks its shape.
     */
    public void fetch(URI url, String sha256, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        String fileName = target.getFileName().toString();
        Path part = null;
        boolean moved = false;
        long received = 0;
        long expected = -1;
        try {
            Files.createDirectories(dir);
            removeStaleParts(dir, fileName);
            part = Files.createTempFile(dir, "." + fileName + ".", ".part");
            log.info("downloading {} from {}", fileName, url);
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = sha256();
            expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DatasetException("download of " + fileName + " from " + url + " failed: HTTP " + response.statusCode()
                            + "; check the URL (base URL override: system property mocoj.data.url or env MOCO_DATA_URL) or put the file into the cache yourself: " + target);
                }
                try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = body.read(buf)) > 0) {
                        digest.update(buf, 0, n);
                        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                        while (bb.hasRemaining()) ch.write(bb);
                        received += n;
                    }
                    ch.force(true);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (sha256 != null && !actual.equalsIgnoreCase(sha256)) {
                throw new DatasetException("download of " + fileName + " from " + url + " has SHA-256 " + actual + " (" + received
                        + " bytes) but the pinned hash is " + sha256 + "; the file was not cached. The server or mirror serves a different file;"
                        + " use the default URL or put the correct file into " + dir);
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new DatasetException("cannot atomically move the download into the cache directory " + dir + ": " + e.getMessage(), e);
            }
            moved = true;
            syncDirectory(dir);
            log.info("cached {} ({} bytes, SHA-256 {}) at {}", fileName, received, sha256 != null ? "verified" : "unpinned " + actual, target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("download of " + fileName + " from " + url + " was interrupted; nothing was cached", e);
        } catch (IOException e) {
            String progress = received > 0 || expected > 0
                    ? " after " + received + (expected >= 0 ? " of " + expected : "") + " bytes" : "";
            throw new DatasetException("download of " + fileName + " from " + url + " failed" + progress + ": " + e
                    + "; nothing was cached. Retry, or download it yourself and put it into " + dir, e);
        } finally {
            if (!moved && part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    log.warn("could not delete the partial download {}: {}", part, e.toString());
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Temporary files of downloads killed with their JVM (older than an hour) are removed. */
    private static void removeStaleParts(Path dir, String fileName) {
        Instant cutoff = Instant.now().minus(STALE_PART_AGE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + fileName + ".*.part")) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                if (t.toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("could not scan {} for stale partial downloads: {}", dir, e.toString());
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("directory fsync not supported for {}: {}", dir, e.toString());
        }
    }

}
