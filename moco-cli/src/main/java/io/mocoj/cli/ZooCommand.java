package io.mocoj.cli;

import io.mocoj.zoo.Skill;
import io.mocoj.zoo.Zoo;
import io.mocoj.zoo.ZooBuilder;
import io.mocoj.zoo.ZooEvaluation;
import io.mocoj.zoo.ZooRecipe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moco zoo build|list|eval}: the CPU sandbox's model zoo (docs/zoo.md). {@code build}
 * trains the zoo from scratch deterministically; {@code list} shows a zoo's models;
 * {@code eval} prints the accuracy matrix (model × skill, 95% intervals, oracle router).
 */
@Command(name = "zoo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The model zoo: build (train from scratch), list, eval (accuracy matrix). See docs/zoo.md.")
final class ZooCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "build, list or eval")
    String action;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "build/zoo", description = "build: output folder (default build/zoo)")
    Path out;

    @Option(names = "--mini", description = "build: a few-second zoo of the same structure whose models learn little (for checks)")
    boolean mini;

    @Option(names = "--dir", paramLabel = "DIR", description = "list/eval: a built zoo (default: the shipped set)")
    Path dir;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "eval: test items per skill, or of --task (default 100)")
    int limit;

    @Option(names = "--models", paramLabel = "LIST", description = "eval: comma-separated model names (default: every model)")
    String models;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "eval: models evaluated at once (default 2)")
    int threads;

    @Option(names = "--task", paramLabel = "NAME", description = "eval: one registered zoo task instead of the matrix, e.g. zoo_mix (one row: each model, best single, oracle)")
    String task;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (action) {
            case "build" -> {
                long t0 = System.nanoTime();
                ZooBuilder.build(this.out, mini ? ZooRecipe.mini() : ZooRecipe.standard(), line -> out.println(line));
                out.printf("zoo written to %s in %.0f s%n", this.out, (System.nanoTime() - t0) / 1e9);
            }
            case "list" -> {
                Zoo zoo = dir != null ? Zoo.open(dir) : Zoo.shipped();
                out.println("zoo in " + zoo.directory());
                for (Zoo.Entry e : zoo.entries()) out.printf("  zoo:%-12s %-10s %s%n", e.name(), e.kind(), e.note());
            }
            case "eval" -> {
                Zoo zoo = dir != null ? Zoo.open(dir) : Zoo.shipped();
                List<String> names = models != null ? Arrays.stream(models.split(",")).map(String::strip).toList()
                        : zoo.entries().stream().map(Zoo.Entry::name).toList();
                if (task != null) {
                    if (!task.startsWith("zoo_")) throw new IllegalArgumentException("--task takes a zoo task (zoo_mix, zoo_arith, ...), not '" + task + "'");
                    out.print(ZooEvaluation.runTask(zoo, names, io.mocoj.task.Tasks.load(task), limit, threads,
                            line -> spec.commandLine().getErr().println(line)).toMarkdown());
                    out.flush();
                    return 0;
                }
                List<Skill> skills = Arrays.stream(Skill.values()).filter(Skill::automaticallyScored).toList();
                ZooEvaluation.Result r = ZooEvaluation.run(zoo, names, skills, limit, threads, line -> spec.commandLine().getErr().println(line));
                out.print(r.toMarkdown());
                out.flush(); // print does not flush picocli's writer: without this a redirected table is lost at exit
            }
            default -> throw new IllegalArgumentException("unknown zoo action '" + action + "'; use build, list or eval");
        }
        return 0;
    }
}
