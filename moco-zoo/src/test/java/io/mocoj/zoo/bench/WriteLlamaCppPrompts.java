package io.mocoj.zoo.bench;

import io.mocoj.eval.Evaluators;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the prompts of {@code tools/llamacpp-check.mjs}: the evaluator prompts of the first two
 * test items of each automatically scored skill. {@code java ... WriteLlamaCppPrompts OUT.json}
 */
public final class WriteLlamaCppPrompts {
    public static void main(String[] args) throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        for (Skill s : Skill.values()) {
            if (!s.automaticallyScored()) continue;
            var task = SkillTasks.task(s);
            Evaluator ev = Evaluators.forTask(task);
            for (Example e : task.test().subList(0, 2)) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("skill", s.taskName());
                p.put("prompt", ev.prompt(e));
                out.add(p);
            }
        }
        Files.writeString(Path.of(args[0]), new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
}
