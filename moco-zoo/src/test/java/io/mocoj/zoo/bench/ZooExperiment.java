package io.mocoj.zoo.bench;

import io.mocoj.zoo.Skill;
import io.mocoj.zoo.Zoo;
import io.mocoj.zoo.ZooBuilder;
import io.mocoj.zoo.ZooEvaluation;
import io.mocoj.zoo.ZooRecipe;
import io.mocoj.zoo.ZooRecipe.Kind;
import io.mocoj.zoo.ZooRecipe.ModelRecipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Short learnability experiments behind the zoo's recipe (docs/zoo.md): builds a small recipe
 * given on the command line into a folder and prints its accuracy matrix.
 * Arguments: {@code OUT LIMIT MODEL...}, or {@code OUT standard} (the standard recipe, no evaluation),
 * or {@code OUT eval LIMIT [MODEL...]} (the matrix of a built zoo), a model being {@code name:kind:parent:skill:dim:layers:steps:lr:seed:replay}
 * or the name of a model of the standard recipe.
 */
public final class ZooExperiment {
    private ZooExperiment() {}

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        if (args[1].equals("standard")) {
            long t0 = System.nanoTime();
            ZooBuilder.build(out, ZooRecipe.standard(), System.err::println);
            System.err.printf("built in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            return;
        }
        if (args[1].equals("eval")) {
            Zoo zoo = Zoo.open(out);
            List<String> names = args.length > 3 ? List.of(args).subList(3, args.length) : zoo.entries().stream().map(Zoo.Entry::name).toList();
            List<Skill> skills = List.of(Skill.MCQ, Skill.ARITH, Skill.REVERSE, Skill.SORT, Skill.KBQA, Skill.REFUSAL);
            System.out.println(ZooEvaluation.run(zoo, names, skills, Integer.parseInt(args[2]), 2, System.err::println).toMarkdown());
            return;
        }
        int limit = Integer.parseInt(args[1]);
        List<ModelRecipe> models = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] f = args[i].split(":");
            if (f.length == 1) { // a model of the standard recipe (reused when the folder has it)
                String name = f[0];
                models.add(ZooRecipe.standard().models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow());
                continue;
            }
            Kind kind = Kind.valueOf(f[1].toUpperCase());
            String parent = f[2].isEmpty() ? null : f[2];
            Skill skill = f[3].isEmpty() ? null : Skill.find(f[3]).orElseThrow();
            models.add(new ModelRecipe(f[0], kind, parent, skill, Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), 4096,
                    Double.parseDouble(f[7]), Long.parseLong(f[8]), Double.parseDouble(f[9]), "experiment"));
        }
        long t0 = System.nanoTime();
        ZooBuilder.build(out, new ZooRecipe(400, 1500, models, 2), System.err::println);
        System.err.printf("built in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        List<String> names = models.stream().map(ModelRecipe::name).toList();
        List<Skill> skills = List.of(Skill.MCQ, Skill.ARITH, Skill.REVERSE, Skill.SORT, Skill.KBQA, Skill.REFUSAL);
        System.out.println(ZooEvaluation.run(Zoo.open(out), names, skills, limit, 2, System.err::println).toMarkdown());
    }
}
