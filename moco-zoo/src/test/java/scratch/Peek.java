package scratch;

import io.mocoj.eval.Evaluators;
import io.mocoj.model.GenerationRequest;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.Zoo;
import java.nio.file.Path;

public class Peek {
    public static void main(String[] a) {
        var m = Zoo.open(Path.of(a[0])).load(a[1], 2);
        var t = SkillTasks.task(Skill.find(a[2]).orElseThrow()).limit(Integer.parseInt(a[3]));
        var ev = Evaluators.forTask(t);
        for (var e : t.test()) {
            String r = m.generate(GenerationRequest.builder().user(ev.prompt(e)).maxTokens(48).temperature(0).build()).text();
            System.out.println(e.input().replace("\n", " ") + " | gold " + e.answers() + " | got " + r.replace("\n", "\\n"));
        }
    }
}
