package scratch;

import io.mocoj.zoo.Skill;
import io.mocoj.zoo.Zoo;
import io.mocoj.zoo.ZooEvaluation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

public class Eval {
    public static void main(String[] a) {
        Zoo zoo = Zoo.open(Path.of(a[0]));
        List<String> models = Arrays.asList(a[1].split(","));
        List<Skill> skills = Arrays.stream(a[2].split(",")).map(s -> Skill.find(s).orElseThrow()).toList();
        long t0 = System.nanoTime();
        var r = ZooEvaluation.run(zoo, models, skills, Integer.parseInt(a[3]), 2, System.err::println);
        System.out.print(r.toMarkdown());
        System.out.println("eval s " + (System.nanoTime() - t0) / 1e9);
    }
}
