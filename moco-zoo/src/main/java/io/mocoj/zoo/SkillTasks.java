package io.mocoj.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mocoj.datasets.Datasets;
import io.mocoj.task.Task;
import io.mocoj.zoo.internal.Generators;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generators of the sandbox's skill tasks in MoCo's JSON task format
 * ({@code {"name", "task_type", "dev": [...], "test": [...]}}): the same skill, seed and sizes give
 * byte-identical JSON. Every item has a {@code domain} field (its sub-skill, for routing and
 * per-group scores) and a {@code reference_response} that the task's evaluator scores 1.
 *
 * <pre>{@code
 * Task arith = SkillTasks.task(Skill.ARITH);                          // default seed and sizes
 * String json = SkillTasks.json(Skill.KBQA, 7, 50, 100);             // a MoCo data file
 * }</pre>
 */
public final class SkillTasks {
    /** The seed of the registered tasks ({@code zoo_arith}, ...). */
    public static final long DEFAULT_SEED = 2026;
    /** Dev items of a registered task. */
    public static final int DEFAULT_DEV = 100;
    /** Test items of a registered task. */
    public static final int DEFAULT_TEST = 200;
    /** The key of an item's reference response. */
    public static final String REFERENCE_RESPONSE = Generators.REFERENCE;

    /** The task name of the mixed-skill task ({@link #mix()}). */
    public static final String MIX_NAME = "zoo_mix";
    /** The skills of {@link #MIX_NAME}, in the order their items alternate. */
    public static final List<Skill> MIX_SKILLS = List.of(Skill.ARITH, Skill.REVERSE, Skill.SORT);
    /** The item field of a mixed task that keeps the item's own sub-skill (its {@code domain} in its skill's task). */
    public static final String SUBDOMAIN = "subdomain";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SkillTasks() {}

    /** The registered task of {@code skill}: {@link #DEFAULT_SEED}, {@link #DEFAULT_DEV} / {@link #DEFAULT_TEST} items. */
    public static Task task(Skill skill) { return task(skill, DEFAULT_SEED, DEFAULT_DEV, DEFAULT_TEST); }

    /** The task of {@code skill} generated from {@code seed} with the given split sizes. */
    public static Task task(Skill skill, long seed, int dev, int test) {
        Map<String, List<Map<String, Object>>> splits = splits(skill, seed, dev, test);
        return Datasets.custom(skill.taskName()).type(skill.type()).description(skill.description())
                .fromRecords(splits.get("dev"), splits.get("test"));
    }

    /**
     * The registered mixed-skill task {@code zoo_mix}: {@link #MIX_SKILLS} items alternating, seed
     * {@link #DEFAULT_SEED}, {@link #DEFAULT_DEV} / {@link #DEFAULT_TEST} items.
     */
    public static Task mix() { return mix(MIX_SKILLS, DEFAULT_SEED, DEFAULT_DEV, DEFAULT_TEST); }

    /**
     * A mixed-skill task: the items of several exact-match skills taken in turn (the first item of
     * each skill, then the second of each, ...), each with its skill's short name as its
     * {@code domain} (its own sub-skill moves to {@link #SUBDOMAIN}). Each skill's items are the
     * first ones of that skill's task with the same seed ({@link #splits} at no fewer than the
     * registered sizes), so with seed {@link #DEFAULT_SEED}, up to {@link #DEFAULT_DEV} dev and
     * {@link #DEFAULT_TEST} test items per skill, every item is an item of the registered skill
     * tasks and no zoo training row holds its input; dev holds no test input as for each skill.
     * All items are scored by the exact-match evaluator (the answer in {@code \box{}}).
     */
    public static Task mix(List<Skill> skills, long seed, int dev, int test) {
        Map<String, List<Map<String, Object>>> splits = mixSplits(skills, seed, dev, test);
        return Datasets.custom(MIX_NAME).type(io.mocoj.task.TaskType.EXACT_MATCH)
                .description("Items of " + String.join(", ", skills.stream().map(Skill::taskName).toList())
                        + " in turn; each item's domain is its skill.")
                .fromRecords(splits.get("dev"), splits.get("test"));
    }

    /** The MoCo data file of a mixed task ({@link #mix(List, long, int, int)}); same layout as {@link #json}. */
    public static String mixJson(List<Skill> skills, long seed, int dev, int test) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", MIX_NAME);
        file.put("task_type", io.mocoj.task.TaskType.EXACT_MATCH.configName());
        file.putAll(mixSplits(skills, seed, dev, test));
        try {
            return JSON.writeValueAsString(file) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code dev} and {@code test} records of a mixed task (see {@link #mix(List, long, int, int)}). */
    public static Map<String, List<Map<String, Object>>> mixSplits(List<Skill> skills, long seed, int dev, int test) {
        if (skills.isEmpty()) throw new IllegalArgumentException("a mixed task needs at least one skill");
        if (dev < 0 || test < 0) throw new IllegalArgumentException("split sizes must be >= 0 (dev " + dev + ", test " + test + ")");
        for (Skill s : skills) {
            if (s.type() != io.mocoj.task.TaskType.EXACT_MATCH) {
                throw new IllegalArgumentException("a mixed task scores every item by exact match, but " + s.taskName() + " is " + s.type().configName()
                        + "; mix exact-match skills (" + String.join(", ", java.util.Arrays.stream(Skill.values())
                                .filter(x -> x.type() == io.mocoj.task.TaskType.EXACT_MATCH).map(Skill::taskName).toList()) + ")");
            }
        }
        if (new HashSet<>(skills).size() != skills.size()) throw new IllegalArgumentException("a skill is mixed twice: " + skills);
        int k = skills.size();
        int devEach = Math.max(DEFAULT_DEV, (dev + k - 1) / k), testEach = Math.max(DEFAULT_TEST, (test + k - 1) / k);
        List<Map<String, List<Map<String, Object>>>> per = new ArrayList<>();
        for (Skill s : skills) per.add(splits(s, seed, devEach, testEach));
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        out.put("dev", interleave(skills, per, "dev", dev));
        out.put("test", interleave(skills, per, "test", test));
        return out;
    }

    private static List<Map<String, Object>> interleave(List<Skill> skills, List<Map<String, List<Map<String, Object>>>> per, String split, int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            boolean any = false;
            for (int s = 0; s < skills.size() && out.size() < n; s++) {
                List<Map<String, Object>> recs = per.get(s).get(split);
                if (i >= recs.size()) continue;
                any = true;
                Map<String, Object> rec = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : recs.get(i).entrySet()) {
                    if (e.getKey().equals("domain")) {
                        rec.put("domain", skills.get(s).shortName());
                        rec.put(SUBDOMAIN, e.getValue());
                    } else {
                        rec.put(e.getKey(), e.getValue());
                    }
                }
                out.add(rec);
            }
            if (!any) break;
        }
        return out;
    }

    /** The MoCo data file of {@code skill} (UTF-8 JSON, two-space indented, keys in a fixed order). */
    public static String json(Skill skill, long seed, int dev, int test) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", skill.taskName());
        file.put("task_type", skill.type().configName());
        file.putAll(splits(skill, seed, dev, test));
        try {
            return JSON.writeValueAsString(file) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #json} as bytes. */
    public static byte[] jsonBytes(Skill skill, long seed, int dev, int test) {
        return json(skill, seed, dev, test).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code dev} and {@code test} records of {@code skill}. Test items are drawn first and the
     * dev split holds no input that the test split has, so dev can be used for training routers
     * or models without leaking test inputs (where the skill has few distinct inputs, dev and
     * test may be shorter than asked; see {@code docs/zoo.md}).
     */
    public static Map<String, List<Map<String, Object>>> splits(Skill skill, long seed, int dev, int test) {
        if (dev < 0 || test < 0) throw new IllegalArgumentException("split sizes must be >= 0 (dev " + dev + ", test " + test + ")");
        Random r = new Random(seed * 1_000_003L + skill.ordinal());
        List<Map<String, Object>> testRecs = new ArrayList<>();
        for (int i = 0; i < test; i++) testRecs.add(Generators.next(skill, r, skill.shortName() + "-test-" + i));
        List<Map<String, Object>> devRecs = new ArrayList<>();
        Set<String> seen = inputs(testRecs);
        int attempts = 0;
        while (devRecs.size() < dev && attempts++ < dev * 50) {
            Map<String, Object> rec = Generators.next(skill, r, skill.shortName() + "-dev-" + devRecs.size());
            if (!disjoint(skill) || !seen.contains(Generators.input(rec))) devRecs.add(rec);
        }
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        out.put("dev", devRecs);
        out.put("test", testRecs);
        return out;
    }

    /**
     * {@code n} records of {@code skill} for training, from their own stream of {@code seed}, none
     * with an input of {@code exclude} (e.g. the test split) where the skill has enough distinct inputs.
     */
    public static List<Map<String, Object>> trainingRecords(Skill skill, long seed, int n, Set<String> exclude) {
        Random r = new Random(seed * 7_000_009L + 31L * skill.ordinal() + 1);
        List<Map<String, Object>> out = new ArrayList<>();
        int attempts = 0;
        while (out.size() < n && attempts++ < n * 50) {
            Map<String, Object> rec = Generators.next(skill, r, skill.shortName() + "-train-" + out.size());
            if (!disjoint(skill) || !exclude.contains(Generators.input(rec))) out.add(rec);
        }
        return out;
    }

    /** The model inputs of records ({@code question} or {@code input}). */
    public static Set<String> inputs(List<Map<String, Object>> records) {
        Set<String> s = new HashSet<>();
        for (Map<String, Object> rec : records) s.add(Generators.input(rec));
        return s;
    }

    /**
     * Whether the skill's inputs are many enough for disjoint splits: the knowledge base, the
     * forbidden list and the open-ended prompts are small closed sets (a question about a fact is
     * asked again, possibly paraphrased), the others are drawn from large spaces.
     */
    static boolean disjoint(Skill skill) {
        return switch (skill) {
            case KBQA, REFUSAL, OPEN, CODE -> false;
            default -> true;
        };
    }
}
