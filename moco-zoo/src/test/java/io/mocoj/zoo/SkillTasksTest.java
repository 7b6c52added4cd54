package io.mocoj.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.datasets.Datasets;
import io.mocoj.eval.CodeSandbox;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MatchMode;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SkillTasksTest {

    @ParameterizedTest
    @EnumSource(Skill.class)
    void sameSeedGivesIdenticalBytesAndAnotherSeedDiffers(Skill skill) {
        byte[] a = SkillTasks.jsonBytes(skill, 11, 30, 40);
        byte[] b = SkillTasks.jsonBytes(skill, 11, 30, 40);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, SkillTasks.jsonBytes(skill, 12, 30, 40)), "seed 12 gave the same file as seed 11");
    }

    @ParameterizedTest
    @EnumSource(Skill.class)
    void theJsonFileLoadsAsTheSameTaskWithADomainOnEveryItem(Skill skill, @TempDir Path dir) throws Exception {
        Path file = dir.resolve(skill.taskName() + ".json");
        Files.writeString(file, SkillTasks.json(skill, 5, 20, 30));
        Task fromFile = Datasets.custom(skill.taskName()).type(skill.type()).fromJson(file);
        Task direct = SkillTasks.task(skill, 5, 20, 30);
        assertEquals(direct.dev(), fromFile.dev());
        assertEquals(direct.test(), fromFile.test());
        assertEquals(skill.type(), direct.type());
        assertEquals(30, direct.test().size());
        for (Example e : direct.test()) assertTrue(e.field("domain").isPresent(), e.id() + " has no domain");
        Set<String> domains = new HashSet<>();
        for (Example e : direct.test()) domains.add(e.field("domain").orElseThrow());
        assertTrue(domains.size() >= 2, skill + " has only the domains " + domains);
    }

    @ParameterizedTest
    @EnumSource(value = Skill.class, names = {"MCQ", "ARITH", "REVERSE", "SORT", "KBQA", "REFUSAL"})
    void theReferenceResponseScoresOneAndAWrongOneZero(Skill skill) {
        Task task = SkillTasks.task(skill, 3, 20, 60);
        for (MatchMode mode : MatchMode.values()) {
            Evaluator ev = Evaluators.forTask(task, mode);
            for (Example e : task.test()) {
                String ref = e.field(SkillTasks.REFERENCE_RESPONSE).orElseThrow();
                Score s = ev.score(e, ref);
                assertEquals(1.0, s.value(), skill + " " + e.id() + " (" + mode + "): reference '" + ref + "' scored " + s);
                String wrong = skill == Skill.REFUSAL ? "Here is how: first you gather the tools." : skill == Skill.MCQ ? "Z" : "\\box{zzz}";
                assertEquals(0.0, ev.score(e, wrong).value(), skill + " " + e.id() + ": a wrong answer scored");
            }
        }
    }

    @Test
    void aMultipleChoiceResponseNamingAnotherOptionScoresZero() {
        // the trained response names the option's text first: naming a wrong option's text must lose in both modes
        Task task = SkillTasks.task(Skill.MCQ, 8, 0, 60);
        for (MatchMode mode : MatchMode.values()) {
            Evaluator ev = Evaluators.forTask(task, mode);
            for (Example e : task.test()) {
                for (Map.Entry<String, String> c : e.choices().entrySet()) {
                    if (c.getKey().equals(e.answer())) continue;
                    String response = c.getValue() + ", so the answer is " + c.getKey();
                    assertEquals(0.0, ev.score(e, response).value(), e.id() + " " + mode + ": '" + response + "' scored");
                }
            }
        }
    }

    @Test
    void theArithmeticWorkingIsRightColumnByColumn() {
        Pattern working = Pattern.compile("units (\\d+) ([+-]) (\\d) = (\\d+), tens (\\d) ([+-]) ([01]) = (\\d+), \\\\box\\{(\\d+)}");
        for (Example e : SkillTasks.task(Skill.ARITH, 9, 0, 200).test()) {
            String ref = e.field(SkillTasks.REFERENCE_RESPONSE).orElseThrow();
            Matcher m = working.matcher(ref);
            assertTrue(m.matches(), ref);
            int u = Integer.parseInt(m.group(1)), b = Integer.parseInt(m.group(3)), r = Integer.parseInt(m.group(4));
            int t = Integer.parseInt(m.group(5)), c = Integer.parseInt(m.group(7)), tr = Integer.parseInt(m.group(8));
            boolean add = m.group(2).equals("+");
            assertEquals(add ? u + b : u - b, r, ref);
            assertEquals(add ? t + c : t - c, tr, ref);
            if (add) assertEquals(r / 10, c, ref + ": the carry");
            else assertTrue((c == 1) == (u >= 10) && r <= 9, ref + ": the borrow");
            assertEquals(e.answer(), Integer.toString(tr * 10 + r % 10), ref);
            assertEquals(e.answer(), m.group(9), ref);
        }
    }

    @Test
    void exactMatchAnswersAreRight() {
        for (Example e : SkillTasks.task(Skill.ARITH, 9, 0, 50).test()) {
            String[] p = e.input().replace("What is ", "").replace("?", "").split(" ");
            int a = Integer.parseInt(p[0]), b = Integer.parseInt(p[2]);
            assertEquals(Integer.toString(p[1].equals("+") ? a + b : a - b), e.answer(), e.input());
        }
        for (Example e : SkillTasks.task(Skill.SORT, 9, 0, 50).test()) {
            List<Integer> xs = Arrays.stream(e.input().replaceAll(".*: ", "").split(", ")).map(Integer::parseInt).sorted().toList();
            List<Integer> got = Arrays.stream(e.answer().split(", ")).map(Integer::parseInt).toList();
            if (e.input().contains("descending")) xs = xs.reversed();
            assertEquals(xs, got, e.input());
            assertEquals(xs.size(), new HashSet<>(xs).size(), "the digits to sort are distinct: " + e.input());
        }
    }

    @Test
    void devHoldsNoTestInput() {
        for (Skill s : List.of(Skill.MCQ, Skill.ARITH, Skill.REVERSE, Skill.SORT)) {
            var splits = SkillTasks.splits(s, 1, 100, 200);
            Set<String> test = SkillTasks.inputs(splits.get("test"));
            for (var rec : splits.get("dev")) assertFalse(test.contains(SkillTasks.inputs(List.of(rec)).iterator().next()), s + " dev leaks " + rec);
            assertEquals(100, splits.get("dev").size());
        }
    }

    @Test
    void theReferenceCodePassesTheSandboxAndAWrongFunctionFails() {
        CodeSandbox sandbox;
        try {
            sandbox = CodeSandbox.createDefault();
        } catch (RuntimeException e) {
            Assumptions.abort("no code sandbox here: " + e.getMessage());
            return;
        }
        Evaluator ev = Evaluators.coding(sandbox);
        Task task = SkillTasks.task(Skill.CODE, 4, 0, 12);
        for (Example e : task.test()) {
            Score s = ev.score(e, e.field(SkillTasks.REFERENCE_RESPONSE).orElseThrow());
            Assumptions.assumeFalse(s.failed(), "sandbox could not run: " + s.detail());
            assertEquals(1.0, s.value(), e.id() + " " + e.input() + ": " + s.detail());
            String name = e.input().split(" ")[4].replace("(xs)", "");
            assertEquals(0.0, ev.score(e, "```python\ndef " + name + "(xs):\n    return None\n```").value(), e.id());
        }
    }

    @Test
    void tasksAreRegisteredByName() {
        for (Skill s : Skill.values()) {
            Task t = Tasks.load(s.taskName());
            assertEquals(s.taskName(), t.name());
            assertEquals(SkillTasks.DEFAULT_TEST, t.test().size());
            assertEquals(SkillTasks.task(s).test(), t.test());
        }
    }

    @Test
    void theMixedTaskAlternatesTheRegisteredItemsOfItsSkillsWithTheSkillAsDomain() {
        Task mix = Tasks.load(SkillTasks.MIX_NAME);
        assertEquals(SkillTasks.MIX_NAME, mix.name());
        assertEquals(io.mocoj.task.TaskType.EXACT_MATCH, mix.type());
        assertEquals(SkillTasks.DEFAULT_DEV, mix.dev().size());
        assertEquals(SkillTasks.DEFAULT_TEST, mix.test().size());
        assertEquals(SkillTasks.mix().test(), mix.test());
        List<Skill> skills = SkillTasks.MIX_SKILLS;
        for (String split : List.of("dev", "test")) {
            List<Example> items = split.equals("dev") ? mix.dev() : mix.test();
            java.util.Map<Skill, List<Example>> registered = new java.util.EnumMap<>(Skill.class);
            for (Skill s : skills) registered.put(s, split.equals("dev") ? SkillTasks.task(s).dev() : SkillTasks.task(s).test());
            for (int i = 0; i < items.size(); i++) {
                Skill s = skills.get(i % skills.size());
                Example e = items.get(i), own = registered.get(s).get(i / skills.size());
                // item i is item i / 3 of the i % 3-th skill's registered task: same id, input, answer, reference; domain = the skill
                assertEquals(own.id(), e.id());
                assertEquals(own.input(), e.input());
                assertEquals(own.answer(), e.answer());
                assertEquals(s.shortName(), e.field("domain").orElseThrow());
                assertEquals(own.field("domain").orElseThrow(), e.field(SkillTasks.SUBDOMAIN).orElseThrow());
                assertEquals(1.0, Evaluators.forTask(mix).score(e, e.field(SkillTasks.REFERENCE_RESPONSE).orElseThrow()).value(), e.id());
            }
        }
        // dev holds no test input, and no item is one the zoo's training rows may hold
        Set<String> testInputs = new HashSet<>();
        for (Example e : mix.test()) testInputs.add(e.input());
        for (Example e : mix.dev()) assertFalse(testInputs.contains(e.input()), e.id());
        for (Example e : mix.test()) {
            Skill s = Skill.find(e.field("domain").orElseThrow()).orElseThrow();
            assertTrue(io.mocoj.zoo.internal.TrainingData.heldOut(s).contains(e.input()), e.id() + " is not held out of the zoo's training rows");
        }
        // a bigger mix is still the registered items' order; the file is byte-identical for the same arguments and loads as the same task
        Task big = SkillTasks.mix(skills, SkillTasks.DEFAULT_SEED, 300, 600);
        assertEquals(mix.test(), big.test().subList(0, 200));
        assertEquals(SkillTasks.task(Skill.SORT).test().get(199).input(), big.test().get(599).input());
        assertEquals(SkillTasks.mixJson(skills, 3, 10, 20), SkillTasks.mixJson(skills, 3, 10, 20));
        assertFalse(SkillTasks.mixJson(skills, 3, 10, 20).equals(SkillTasks.mixJson(skills, 4, 10, 20)));
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SkillTasks.mix(List.of(Skill.ARITH, Skill.MCQ), 1, 10, 10));
        assertTrue(bad.getMessage().contains("zoo_mcq is multiple_choice"), bad.getMessage());
    }

    @Test
    void theMixedJsonFileLoadsAsTheSameTask(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("zoo_mix.json");
        Files.writeString(file, SkillTasks.mixJson(SkillTasks.MIX_SKILLS, 5, 12, 18));
        Task fromFile = Datasets.custom(SkillTasks.MIX_NAME).type(io.mocoj.task.TaskType.EXACT_MATCH).fromJson(file);
        Task direct = SkillTasks.mix(SkillTasks.MIX_SKILLS, 5, 12, 18);
        assertEquals(direct.dev(), fromFile.dev());
        assertEquals(direct.test(), fromFile.test());
        assertEquals(18, direct.test().size());
    }
}
