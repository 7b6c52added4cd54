package io.mocoj.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.lora.LoraAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A built zoo: a directory of GGUF models and adapters with its {@code zoo.json} manifest. The
 * shipped default set is {@link #shipped()}; {@code ./moco zoo build --out DIR} makes another.
 *
 * <pre>{@code
 * Zoo zoo = Zoo.shipped();
 * LocalModel arith = zoo.load("arith", 1);          // a specialist
 * LocalModel lora = zoo.load("lora-sort", 1);       // base with the adapter applied
 * }</pre>
 */
public final class Zoo {
    /** Resource folder of the shipped set inside the moco-zoo jar. */
    public static final String RESOURCE_DIR = "io/mocoj/zoo/models/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Zoo shipped;

    /** A model of the manifest. */
    public record Entry(String name, String kind, String parent, String skill, String sha256, String note) {
        /** Whether this entry is a LoRA adapter (loaded on top of its parent). */
        public boolean adapter() { return kind.equals("lora"); }
    }

    private final Path dir;
    private final Map<String, Entry> entries;

    private Zoo(Path dir, Map<String, Entry> entries) {
        this.dir = dir;
        this.entries = entries;
    }

    /** Opens a built zoo directory (it must hold {@code zoo.json}). */
    public static Zoo open(Path dir) {
        Path manifest = dir.resolve(ZooBuilder.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException("no zoo in " + dir.toAbsolutePath() + ": " + ZooBuilder.MANIFEST
                    + " is missing; build one with ./moco zoo build --out " + dir);
        }
        try {
            JsonNode root = JSON.readTree(manifest.toFile());
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (JsonNode m : root.path("models")) {
                entries.put(m.path("name").asText(), new Entry(m.path("name").asText(), m.path("kind").asText(),
                        m.hasNonNull("parent") ? m.get("parent").asText() : null, m.hasNonNull("skill") ? m.get("skill").asText() : null,
                        m.path("sha256").asText(), m.path("note").asText()));
            }
            return new Zoo(dir, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    /**
     * The default set shipped in the moco-zoo jar. When the jar's resources are plain files (a
     * source checkout) they are used in place; otherwise they are copied once to
     * {@code ~/.cache/mocoj/zoo/<manifest hash>} (or {@code $MOCOJ_ZOO_CACHE}) and checked against the manifest's hashes.
     */
    public static Zoo shipped() {
        Zoo z = shipped;
        if (z != null) return z;
        synchronized (Zoo.class) {
            if (shipped == null) shipped = locateShipped();
            return shipped;
        }
    }

    private static Zoo locateShipped() {
        URL url = Zoo.class.getClassLoader().getResource(RESOURCE_DIR + ZooBuilder.MANIFEST);
        if (url == null) {
            throw new IllegalStateException("the moco-zoo jar on the class path has no shipped models (" + RESOURCE_DIR + ZooBuilder.MANIFEST
                    + "); build a zoo with ./moco zoo build --out DIR and use zoo:NAME?dir=DIR");
        }
        try {
            if (url.getProtocol().equals("file")) return open(Path.of(url.toURI()).getParent());
            byte[] manifest;
            try (InputStream in = url.openStream()) { manifest = in.readAllBytes(); }
            String hash = ZooBuilder.sha256(manifest).substring(0, 16);
            String base = System.getenv("MOCOJ_ZOO_CACHE");
            Path cache = (base != null ? Path.of(base) : Path.of(System.getProperty("user.home"), ".cache", "mocoj", "zoo")).resolve(hash);
            Files.createDirectories(cache);
            Zoo listed = new Zoo(cache, open(manifest).entries);
            for (Entry e : listed.entries.values()) {
                Path f = cache.resolve(e.name() + ".gguf");
                if (Files.isRegularFile(f) && ZooBuilder.sha256(f).equals(e.sha256())) continue;
                Path tmp = Files.createTempFile(cache, e.name(), ".part");
                try (InputStream in = Zoo.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + e.name() + ".gguf")) {
                    if (in == null) throw new IllegalStateException("shipped zoo lacks " + e.name() + ".gguf");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                if (!ZooBuilder.sha256(tmp).equals(e.sha256())) throw new IllegalStateException("shipped " + e.name() + ".gguf does not match its hash");
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.write(cache.resolve(ZooBuilder.MANIFEST), manifest);
            return open(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the shipped zoo: " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Zoo open(byte[] manifest) throws IOException {
        Path tmp = Files.createTempDirectory("mocoj-zoo-manifest");
        try {
            Files.write(tmp.resolve(ZooBuilder.MANIFEST), manifest);
            return open(tmp);
        } finally {
            Files.deleteIfExists(tmp.resolve(ZooBuilder.MANIFEST));
            Files.deleteIfExists(tmp);
        }
    }

    /** The zoo's directory. */
    public Path directory() { return dir; }

    /** The models in manifest order. */
    public List<Entry> entries() { return new ArrayList<>(entries.values()); }

    /** The entry of a model, if the zoo has it. */
    public Optional<Entry> entry(String name) { return Optional.ofNullable(entries.get(name)); }

    /** The GGUF file of a model or adapter. */
    public Path file(String name) { return dir.resolve(require(name).name() + ".gguf"); }

    /** Loads a model; an adapter comes applied to its parent. {@code threads} is per model. */
    public LocalModel load(String name, int threads) { return load(name, LocalModelOptions.builder().threads(threads).name(name).build()); }

    /** Loads a model with the given options; an adapter comes applied (scale 1) to its parent. */
    public LocalModel load(String name, LocalModelOptions options) {
        Entry e = require(name);
        if (!e.adapter()) return LocalModel.load(file(name), options);
        LocalModel base = LocalModel.load(file(e.parent()), options);
        return base.withAdapters(options.name() != null ? options.name() : name, List.of(new LoraAdapter.Scaled(LoraAdapter.load(file(name)), 1.0)));
    }

    private Entry require(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("the zoo in " + dir + " has no model '" + name + "'; it has: " + String.join(", ", entries.keySet()));
        return e;
    }
}
