package io.mocoj.cli.grid;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.config.ConfigException;
import io.mocoj.config.MocoConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid file: the axes {@code methods} (names, or objects {@code {"method", "hyperparameters"}}),
 * {@code tasks}, {@code pools} (lists of model specs) and {@code seeds}, plus any ordinary config keys
 * shared by every cell (hyperparameters shared by every method are merged under each method's own).
 * Each cell is an ordinary MoCo config; cells are numbered in a fixed order (task, method, pool, seed)
 * so that every process of a sharded grid sees the same numbering.
 */
public record GridSpec(Path source, List<Cell> cells) {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final List<String> AXES = List.of("methods", "tasks", "pools", "seeds");

    /** One run of the grid. */
    public record Cell(int index, String id, String task, String method, int pool, long seed, MocoConfig config) {}

    public static GridSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read grid file " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException(file + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ConfigException(file + ": a grid file is a JSON object with \"methods\", \"tasks\", \"pools\" and \"seeds\"");
        String where = file.toString();
        JsonNode methods = axis(root, "methods", where), tasks = axis(root, "tasks", where), pools = axis(root, "pools", where);
        JsonNode seeds = root.has("seeds") ? axis(root, "seeds", where) : MAPPER.createArrayNode().add(root.path("seed").asLong(42));
        ObjectNode shared = ((ObjectNode) root).deepCopy();
        AXES.forEach(shared::remove);
        List<Cell> cells = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            if (!tasks.get(t).isTextual()) throw new ConfigException(where + ": tasks[" + t + "] must be a dataset name or a data file path");
            for (int m = 0; m < methods.size(); m++) {
                JsonNode me = methods.get(m);
                String method;
                JsonNode ownHyper = null;
                if (me.isTextual()) {
                    method = me.asText();
                } else if (me.isObject() && me.path("method").isTextual()) {
                    method = me.get("method").asText();
                    ownHyper = me.get("hyperparameters");
                    if (ownHyper != null && !ownHyper.isObject()) throw new ConfigException(where + ": methods[" + m + "].hyperparameters must be an object");
                } else {
                    throw new ConfigException(where + ": methods[" + m + "] must be a method name or {\"method\": NAME, \"hyperparameters\": {...}}");
                }
                String label = methodLabel(method, ownHyper, methods, m);
                for (int p = 0; p < pools.size(); p++) {
                    JsonNode pool = pools.get(p);
                    if (!pool.isArray() || pool.isEmpty()) throw new ConfigException(where + ": pools[" + p + "] must be a non-empty list of model specs");
                    for (int s = 0; s < seeds.size(); s++) {
                        if (!seeds.get(s).canConvertToLong() || !seeds.get(s).isIntegralNumber()) throw new ConfigException(where + ": seeds[" + s + "] must be an integer");
                        long seed = seeds.get(s).asLong();
                        ObjectNode cfg = shared.deepCopy();
                        cfg.put("method", method);
                        cfg.set("task", tasks.get(t));
                        cfg.set("model_names", pool);
                        cfg.put("seed", seed);
                        ObjectNode hyper = shared.has("hyperparameters") && shared.get("hyperparameters").isObject()
                                ? ((ObjectNode) shared.get("hyperparameters")).deepCopy() : MAPPER.createObjectNode();
                        if (ownHyper != null) hyper.setAll((ObjectNode) ownHyper);
                        cfg.set("hyperparameters", hyper);
                        String id = safe(taskLabel(tasks.get(t).asText())) + "__" + safe(label) + "__pool" + p + "__seed" + seed;
                        MocoConfig config;
                        try {
                            config = MocoConfig.parse(cfg.toString(), file);
                        } catch (ConfigException e) {
                            throw new ConfigException("grid cell " + id + ": " + e.getMessage(), e);
                        }
                        cells.add(new Cell(cells.size(), id, taskLabel(tasks.get(t).asText()), label, p, seed, config));
                    }
                }
            }
        }
        return new GridSpec(file, List.copyOf(cells));
    }

    /** The cells of shard {@code index} of {@code count}: every cell whose number is {@code index} modulo {@code count}. */
    public List<Cell> shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) throw new IllegalArgumentException("shard " + index + "/" + count + " is not valid: use I/N with 0 <= I < N");
        return cells.stream().filter(c -> c.index() % count == index).toList();
    }

    private static JsonNode axis(JsonNode root, String key, String where) {
        JsonNode a = root.get(key);
        if (a == null || !a.isArray() || a.isEmpty()) throw new ConfigException(where + ": \"" + key + "\" must be a non-empty list");
        return a;
    }

    /** A method's label in cell ids: its name, with #k when the same method appears more than once. */
    private static String methodLabel(String method, JsonNode hyper, JsonNode methods, int m) {
        int same = 0, before = 0;
        for (int i = 0; i < methods.size(); i++) {
            JsonNode x = methods.get(i);
            String name = x.isTextual() ? x.asText() : x.path("method").asText();
            if (name.equals(method)) {
                same++;
                if (i < m) before++;
            }
        }
        return same == 1 ? method : method + "#" + (before + 1);
    }

    private static String taskLabel(String task) {
        String name = Path.of(task).getFileName().toString();
        return name.replaceFirst("\\.jsonl?$", "");
    }

    private static String safe(String s) { return s.replaceAll("[^A-Za-z0-9._#-]", "_"); }
}
