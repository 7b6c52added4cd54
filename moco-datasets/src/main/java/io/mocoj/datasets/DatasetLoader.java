package io.mocoj.datasets;

import io.mocoj.datasets.internal.Catalog;
import io.mocoj.datasets.internal.Downloader;
import io.mocoj.datasets.internal.MocoJsonReader;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads MoCo datasets by name. Sources, in order: the data directory the user names, the download
 * cache, and (unless offline) a download of the published file at a pinned commit, verified by SHA-256.
 * Loaded tasks are immutable and kept in a per-name soft cache, so repeated loads are free while memory
 * lasts. Thread-safe; build one with {@link #builder()} or use {@link Datasets}.
 */
public final class DatasetLoader {
    private static final Logger log = LoggerFactory.getLogger(DatasetLoader.class);

    /** System property / environment variable naming the data directory. */
    public static final String DATA_DIR_PROPERTY = "mocoj.data.dir", DATA_DIR_ENV = "MOCO_DATA_DIR";
    /** System property / environment variable naming the download cache directory. */
    public static final String CACHE_DIR_PROPERTY = "mocoj.cache.dir", CACHE_DIR_ENV = "MOCO_CACHE_DIR";
    /** System property / environment variable for offline mode ({@code true} / {@code 1}). */
    public static final String OFFLINE_PROPERTY = "mocoj.offline", OFFLINE_ENV = "MOCO_OFFLINE";
    /** System property / environment variable overriding the download base URL (a mirror). */
    public static final String BASE_URL_PROPERTY = "mocoj.data.url", BASE_URL_ENV = "MOCO_DATA_URL";

    private final Path dataDir;          // may be null
    private final Path cacheDir;
    private final boolean offline;
    private final URI baseUrl;
    private final boolean memoryCache;
    private final HttpClient httpClient; // may be null: a default one is made on first download
    private final Duration timeout;
    private Downloader downloader;       // guarded by this
    private final Map<String, SoftReference<Task>> loaded = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private DatasetLoader(Builder b) {
        this.dataDir = b.dataDir != null ? b.dataDir : setting(DATA_DIR_PROPERTY, DATA_DIR_ENV).map(Path::of).orElse(null);
        this.cacheDir = b.cacheDir != null ? b.cacheDir : setting(CACHE_DIR_PROPERTY, CACHE_DIR_ENV).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "mocoj", "data"));
        this.offline = b.offline != null ? b.offline : setting(OFFLINE_PROPERTY, OFFLINE_ENV)
                .map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")).orElse(false);
        String base = b.baseUrl != null ? b.baseUrl : setting(BASE_URL_PROPERTY, BASE_URL_ENV).orElse(Catalog.DEFAULT_BASE_URL);
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.memoryCache = b.memoryCache;
        this.httpClient = b.httpClient;
        this.timeout = b.timeout;
    }

    /** The downloader, created on first use (a default HTTP client starts threads, so none is made for offline or cached loads). */
    private synchronized Downloader downloader() {
        if (downloader == null) {
            HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
            downloader = new Downloader(client, timeout);
        }
        return downloader;
    }

    private static Optional<String> setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public static Builder builder() { return new Builder(); }

    /** The data directory searched first, if any. */
    public Optional<Path> dataDir() { return Optional.ofNullable(dataDir); }

    public Path cacheDir() { return cacheDir; }

    public boolean offline() { return offline; }

    public URI baseUrl() { return baseUrl; }

    /**
     * The URL a task's file is downloaded from: the base URL (the pinned commit, or a mirror) for the 36 original
     * tasks and for every task when a mirror is set; a newer task's own commit otherwise.
     */
    public URI urlOf(String name) {
        DatasetInfo info = Catalog.find(name).orElse(null);
        boolean mirror = !baseUrl.toString().equals(Catalog.DEFAULT_BASE_URL);
        if (info == null || mirror || info.commit().isEmpty() || info.commit().equals(Catalog.PINNED_COMMIT)) return baseUrl.resolve(name + ".json");
        return URI.create(Catalog.urlOf(info));
    }

    /**
     * Loads a MoCo task by name.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     * @throws DatasetException         when the file cannot be found, fetched or read
     */
    public Task load(String name) {
        DatasetInfo info = Catalog.find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown dataset '" + name + "'" + Catalog.didYouMean(name) + "; known datasets: " + String.join(", ", Catalog.names())
                        + ". For your own data use Datasets.custom(...)"));
        if (!memoryCache) return read(info);
        SoftReference<Task> ref = loaded.get(name);
        Task t = ref == null ? null : ref.get();
        if (t != null) return t;
        synchronized (locks.computeIfAbsent(name, k -> new Object())) {
            ref = loaded.get(name);
            t = ref == null ? null : ref.get();
            if (t == null) {
                t = read(info);
                loaded.put(name, new SoftReference<>(t));
            }
            return t;
        }
    }

    /**
     * Loads a task to be evaluated as another task type, as a MoCo config's {@code task_type} may ask:
     * {@code general_verifier} for multiple-choice, exact-match and F1 data; {@code text_generation} and
     * {@code reward_model} for any task (only the inputs matter). The examples are the same.
     *
     * @throws IllegalArgumentException when the dataset cannot be evaluated that way (the message lists the types it allows)
     */
    public Task load(String name, TaskType asType) {
        Objects.requireNonNull(asType, "asType");
        Task t = load(name);
        if (t.type() == asType) return t;
        List<TaskType> allowed = new ArrayList<>(List.of(t.type()));
        if (t.type().hasDiscreteAnswers()) allowed.add(TaskType.GENERAL_VERIFIER);
        for (TaskType any : List.of(TaskType.TEXT_GENERATION, TaskType.REWARD_MODEL)) if (!allowed.contains(any)) allowed.add(any);
        if (!allowed.contains(asType)) {
            throw new IllegalArgumentException("task '" + name + "' is " + t.type().configName() + " data; it can be evaluated as "
                    + allowed.stream().map(TaskType::configName).collect(java.util.stream.Collectors.joining(", ")) + ", not as " + asType.configName());
        }
        return new Task(t.name(), asType, t.dev(), t.test(), t.description());
    }

    /** Drops every task kept in memory (files on disk stay). */
    public void clearMemoryCache() { loaded.clear(); }

    /** Where a task's file would be taken from right now, without loading it (empty when it would be downloaded or is unavailable). */
    public Optional<Path> locate(String name) {
        DatasetInfo info = Catalog.find(name).orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + name + "'"));
        if (dataDir != null && Files.isRegularFile(dataDir.resolve(info.fileName()))) return Optional.of(dataDir.resolve(info.fileName()));
        Path cached = cacheDir.resolve(info.fileName());
        return Files.isRegularFile(cached) ? Optional.of(cached) : Optional.empty();
    }

    private Task read(DatasetInfo info) {
        long start = System.nanoTime();
        if (dataDir != null) {
            Path p = dataDir.resolve(info.fileName());
            String kind = io.mocoj.config.PathKind.of(p);
            if (!kind.equals(io.mocoj.config.PathKind.REGULAR_FILE) && !kind.equals(io.mocoj.config.PathKind.MISSING)) {
                throw new DatasetException(p + " is " + kind + ", not a regular file; the data folder must hold " + info.fileName()
                        + " as a MoCo-format JSON file");
            }
            if (Files.isRegularFile(p)) {
                Read r = readFile(info, p);
                if (info.downloadable() && !r.sha256.equalsIgnoreCase(info.sha256())) {
                    log.info("{} differs from the published file (SHA-256 {}, published {}); using it as given", p, r.sha256, info.sha256());
                }
                return done(info, r.task, p, start);
            }
            log.debug("{} not found in the data directory {}", info.fileName(), dataDir);
        }
        Path cached = cacheDir.resolve(info.fileName());
        if (Files.isRegularFile(cached)) {
            Read r;
            String actual;
            try {
                r = readFile(info, cached);
                actual = r.sha256;
            } catch (DatasetFormatException e) {
                // a damaged cache entry is replaced; a file that matches the pinned hash is reported as is
                if (!info.downloadable() || (actual = sha256Of(cached)).equalsIgnoreCase(info.sha256())) throw e;
                r = null;
            }
            if (r != null && (!info.downloadable() || actual.equalsIgnoreCase(info.sha256()))) return done(info, r.task, cached, start);
            log.warn("cached {} has SHA-256 {} but the pinned hash is {}; deleting it", cached, actual, info.sha256());
            try {
                Files.deleteIfExists(cached);
            } catch (IOException e) {
                throw new DatasetException("the cached file " + cached + " does not match the pinned SHA-256 and could not be deleted (" + e
                        + "); delete it by hand", e);
            }
        }
        if (!info.published()) {
            throw new DatasetException("dataset '" + info.name() + "' is not published at the pinned MoCo commit, so it cannot be downloaded. "
                    + "Put " + info.fileName() + " (MoCo format) into " + where() + ".");
        }
        if (offline) {
            throw new DatasetException("dataset '" + info.name() + "' is not available offline. Put " + info.fileName()
                    + " into " + where() + ", or turn offline mode off to download it from " + urlOf(info.name()) + ".");
        }
        if (info.unpinned()) return downloadUnpinned(info, cached, start);
        downloader().fetch(urlOf(info.name()), info.sha256(), cached);
        Read r = readFile(info, cached);
        return done(info, r.task, cached, start);
    }

    /**
     * A newer task without a pinned hash: downloaded from its commit URL, then accepted only if it parses as a
     * MoCo file of the task's type (else deleted). The message says the hash is unpinned.
     */
    private Task downloadUnpinned(DatasetInfo info, Path cached, long start) {
        URI url = urlOf(info.name());
        downloader().fetch(url, null, cached);
        try {
            Read r = readFile(info, cached);
            log.warn("{} was downloaded from {} with an UNPINNED hash (MoCo-J has no verified copy of it yet): its JSON shape was checked"
                    + " ({} dev / {} test {} examples), its SHA-256 is {}", info.fileName(), url, r.task.dev().size(), r.task.test().size(),
                    info.type().configName(), r.sha256);
            return done(info, r.task, cached, start);
        } catch (DatasetException e) {
            try {
                Files.deleteIfExists(cached);
            } catch (IOException io) {
                log.warn("could not delete {}: {}", cached, io.toString());
            }
            throw new DatasetException("download of " + info.fileName() + " from " + url + " is not a MoCo " + info.type().configName()
                    + " file (its hash is unpinned, so only its JSON shape can be checked): " + e.getMessage() + "; nothing was cached."
                    + " Put a correct copy into " + where() + ".", e);
        }
    }

    private String where() {
        String cache = "the cache directory " + cacheDir.toAbsolutePath() + " (there it must be the published file; its SHA-256 is checked)";
        if (dataDir != null) return "the data directory " + dataDir.toAbsolutePath() + " (used as is) or " + cache;
        return "a data directory (name one with --data-dir DIR on the moco command, the environment variable " + DATA_DIR_ENV
                + ", the system property " + DATA_DIR_PROPERTY + " or DatasetLoader.builder().dataDir(...); files there are used as is) or " + cache;
    }

    private Task done(DatasetInfo info, Task t, Path from, long start) {
        log.debug("loaded {} ({} dev / {} test) from {} in {} ms", info.name(), t.dev().size(), t.test().size(), from,
                (System.nanoTime() - start) / 1_000_000);
        return t;
    }

    private record Read(Task task, String sha256) {}

    private static String sha256Of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new DatasetException(file + ": could not read: " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Read readFile(DatasetInfo info, Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String label = file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file);
             DigestInputStream in = new DigestInputStream(new BufferedInputStream(raw, 1 << 16), md)) {
            FieldMapping mapping = Catalog.answerListInString(info.name())
                    ? FieldMapping.builder().answerListInString(true).build() : FieldMapping.MOCO;
            MocoJsonReader.Parsed parsed = MocoJsonReader.readMoco(in, label, null, info.type(), mapping);
            in.transferTo(java.io.OutputStream.nullOutputStream()); // hash the whole file, including trailing white space
            if (parsed.nameInFile() != null && !Catalog.acceptsNameInFile(info.name(), parsed.nameInFile())) {
                log.warn("{} says its name is '{}'; loading it as '{}' (the file name decides)", file, parsed.nameInFile(), info.name());
            }
            Task task = new Task(info.name(), parsed.type(), parsed.dev(), parsed.test(), info.description());
            return new Read(task, HexFormat.of().formatHex(md.digest()));
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + " disappeared while loading it", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": could not read: " + e, e);
        }
    }

    /** Options for a {@link DatasetLoader}. Unset options fall back to system properties, then environment variables, then defaults. */
    public static final class Builder {
        private Path dataDir;
        private Path cacheDir;
        private Boolean offline;
        private String baseUrl;
        private HttpClient httpClient;
        private Duration timeout = Duration.ofSeconds(60);
        private boolean memoryCache = true;

        private Builder() {}

        /** A directory holding {@code <task>.json} files, searched first (default: {@code mocoj.data.dir} / {@code MOCO_DATA_DIR}). */
        public Builder dataDir(Path dir) { this.dataDir = Objects.requireNonNull(dir, "dataDir"); return this; }

        /** The download cache (default: {@code mocoj.cache.dir} / {@code MOCO_CACHE_DIR}, else {@code ~/.cache/mocoj/data}). */
        public Builder cacheDir(Path dir) { this.cacheDir = Objects.requireNonNull(dir, "cacheDir"); return this; }

        /** Never download; a missing file fails with a message saying where to put it (default: {@code mocoj.offline} / {@code MOCO_OFFLINE}, else false). */
        public Builder offline(boolean offline) { this.offline = offline; return this; }

        /** Base URL of the published files, e.g. a mirror; {@code <task>.json} is appended. Hashes are still checked. */
        public Builder baseUrl(String url) {
            URI u = URI.create(Objects.requireNonNull(url, "baseUrl"));
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL, got '" + url + "'");
            }
            this.baseUrl = url;
            return this;
        }

        /** The HTTP client for downloads (default: a new client following redirects). */
        public Builder httpClient(HttpClient client) { this.httpClient = Objects.requireNonNull(client, "httpClient"); return this; }

        /** Connect and request timeout for downloads (default 60 s). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
            this.timeout = timeout;
            return this;
        }

        /**
         * Applies settings from a configuration (e.g. a block of a JSON run config). Accepted keys:
         * {@code data_dir}, {@code cache_dir}, {@code offline} (boolean or "true"/"false"), {@code data_url};
         * null values are ignored. Options set later on the builder win.
         *
         * @throws IllegalArgumentException for an unknown key or a value of the wrong kind
         */
        public Builder config(Map<String, ?> settings) {
            for (var e : settings.entrySet()) {
                Object v = e.getValue();
                if (v == null) continue;
                switch (e.getKey()) {
                    case "data_dir" -> dataDir(Path.of(text(e.getKey(), v)));
                    case "cache_dir" -> cacheDir(Path.of(text(e.getKey(), v)));
                    case "data_url" -> baseUrl(text(e.getKey(), v));
                    case "offline" -> {
                        if (v instanceof Boolean b) offline(b);
                        else if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) offline(Boolean.parseBoolean(s));
                        else throw new IllegalArgumentException("dataset setting 'offline' must be true or false, got " + v);
                    }
                    default -> throw new IllegalArgumentException("unknown dataset setting '" + e.getKey()
                            + "'; accepted: data_dir, cache_dir, offline, data_url");
                }
            }
            return this;
        }

        private static String text(String key, Object v) {
            if (v instanceof String s && !s.isBlank()) return s;
            throw new IllegalArgumentException("dataset setting '" + key + "' must be a non-empty string, got " + v);
        }

        /** Keep loaded tasks in a per-name soft cache (default true). */
        public Builder memoryCache(boolean enabled) { this.memoryCache = enabled; return this; }

        public DatasetLoader build() { return new DatasetLoader(this); }
    }



}
