package io.mocoj.zoo.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.eval.Aggregation;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MatchMode;
import io.mocoj.eval.MeanWithInterval;
import io.mocoj.eval.RewardModelEvaluator;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.local.train.TrainingResult;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.text.AggLm;
import io.mocoj.methods.toolbox.PeerJudge;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.Zoo;
import io.mocoj.zoo.formats.Format;
import io.mocoj.zoo.formats.FormatRows;
import io.mocoj.zoo.internal.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Does a zoo model trained on the prompt formats judge, rank and aggregate for real? Fine-tunes
 * {@code zoo:base} on {@link FormatRows#mixture} (plus the skills' own rows, so it keeps its skills)
 * and measures, for it and for the untrained base, on the registered tasks' TEST items (inputs no
 * training row holds for the large-space skills):
 * <ul>
 *   <li>pairwise judgement ({@code TeamPrompts.pairwise}, read by {@code parseAorB}): share of
 *       right-vs-near-miss pairs where it names the right one (chance 0.5);</li>
 *   <li>peer-judge scores ({@code PeerJudge.prompt}, read by {@code PeerJudge.parse}): share of
 *       the same pairs where the right response scores higher (ties and unreadable replies 0.5);</li>
 *   <li>aggregation ({@code AggLm.aggregationPrompt}): accuracy of its answer, against the majority
 *       of the shown solutions and a randomly picked one;</li>
 *   <li>a real method ({@code text_llm_blender} zero-shot: the trained model ranks the pool's
 *       answers pairwise and fuses the top ones) against each pool model alone, through {@code MoCo.run()}.</li>
 * </ul>
 * Usage: {@code FormatBehaviourBenchmark [outDir] [steps] [itemsPerSkill]}; the trained model is
 * kept as {@code outDir/formats.gguf} and reused by a later run.
 */
public final class FormatBehaviourBenchmark {
    private static final List<Skill> SKILLS = List.of(Skill.KBQA, Skill.REFUSAL, Skill.SORT, Skill.REVERSE, Skill.MCQ, Skill.ARITH);

    private FormatBehaviourBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/formats-bench");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        // the formats to train on: all, or the judging and aggregating ones (a comma-separated list)
        Set<Format> trainFormats = args.length > 3 ? EnumSet.copyOf(Arrays.stream(args[3].split(",")).map(Format::valueOf).toList()) : EnumSet.allOf(Format.class);
        int batchTokens = args.length > 4 ? Integer.parseInt(args[4]) : 4096;
        double lr = args.length > 5 ? Double.parseDouble(args[5]) : 2e-3;
        Files.createDirectories(out);
        LocalModel base = Zoo.shipped().load("base", 2);
        Path file = out.resolve("formats.gguf");
        if (!Files.exists(file)) train(base, steps, file, trainFormats, batchTokens, lr);
        LocalModel formats = LocalModel.load(file, LocalModelOptions.builder().threads(2).name("formats").build());

        StringBuilder md = new StringBuilder();
        md.append("| skill | model | pairwise (A/B right) | peer-judge (right scored higher) | aggregation | majority of shown | random shown |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Skill s : SKILLS) {
            List<Map<String, Object>> test = SkillTasks.splits(s, SkillTasks.DEFAULT_SEED, SkillTasks.DEFAULT_DEV, SkillTasks.DEFAULT_TEST).get("test");
            List<Map<String, Object>> items = test.subList(0, Math.min(n, test.size()));
            List<FormatRows.Item> pairs = FormatRows.itemsOf(Format.PAIRWISE, s, items, 1);
            List<FormatRows.Item> sets = FormatRows.itemsOf(Format.AGGREGATION, s, items, 1);
            Evaluator ev = Evaluators.forTaskType(s.type(), MatchMode.MOCO_COMPATIBLE);
            List<Score> majority = new ArrayList<>(), random = new ArrayList<>();
            for (FormatRows.Item it : sets) {
                majority.add(Score.of(ev.score(it.example(), majorityOf(it.shown())).value(), ""));
                random.add(Score.of(it.right().stream().filter(b -> b).count() / (double) it.shown().size(), ""));
            }
            for (LocalModel m : List.of(base, formats)) {
                List<Score> pw = new ArrayList<>(), pj = new ArrayList<>(), agg = new ArrayList<>();
                for (FormatRows.Item it : pairs) {
                    String reply = ask(m, it.prompt(), 4);
                    char right = it.right().get(0) ? 'A' : 'B';
                    pw.add(Score.of(TeamPrompts.parseAorB(reply) == right ? 1 : 0, reply));
                    Integer a = PeerJudge.parse(ask(m, PeerJudge.prompt(it.question(), it.shown().get(0)), 10));
                    Integer b = PeerJudge.parse(ask(m, PeerJudge.prompt(it.question(), it.shown().get(1)), 10));
                    double sa = a == null ? PeerJudge.DEFAULT_SCORE : a, sb = b == null ? PeerJudge.DEFAULT_SCORE : b;
                    double rightScore = it.right().get(0) ? sa : sb, wrongScore = it.right().get(0) ? sb : sa;
                    pj.add(Score.of(rightScore > wrongScore ? 1 : rightScore == wrongScore ? 0.5 : 0, ""));
                }
                for (FormatRows.Item it : sets) {
                    if (s == Skill.CODE) continue;
                    agg.add(Score.of(ev.score(it.example(), ask(m, AggLm.aggregationPrompt(it.question(), it.shown()), 32)).value(), ""));
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", s.taskName(), m.name(), cell(pw), cell(pj), cell(agg),
                        cell(majority), cell(random)));
                System.err.println(md);
            }
        }
        md.append('\n').append(judge(base, formats, n));
        md.append('\n').append(blender(formats, n));
        Files.writeString(out.resolve("results.md"), md.toString());
        System.out.println(md);
    }

    /** The text_generation judge on zoo_open: share of right-vs-wrong description pairs rated right-higher. */
    private static String judge(LocalModel base, LocalModel formats, int n) {
        List<Map<String, Object>> test = SkillTasks.splits(Skill.OPEN, SkillTasks.DEFAULT_SEED, SkillTasks.DEFAULT_DEV, SkillTasks.DEFAULT_TEST).get("test");
        List<FormatRows.Item> pairs = FormatRows.itemsOf(Format.PAIRWISE, Skill.OPEN, test.subList(0, Math.min(n, test.size())), 2);
        StringBuilder sb = new StringBuilder("| zoo_open judge | right rated higher | ratings read |\n|---|---|---|\n");
        for (LocalModel m : List.of(base, formats)) {
            List<Score> s = new ArrayList<>();
            int read = 0;
            for (FormatRows.Item it : pairs) {
                double[] r = new double[2];
                for (int i = 0; i < 2; i++) {
                    var v = RewardModelEvaluator.parseRating(ask(m, RewardModelEvaluator.judgePrompt(it.example().input(), it.shown().get(i)), 8));
                    if (v.isPresent()) read++;
                    r[i] = v.orElse(5.0);
                }
                double right = it.right().get(0) ? r[0] : r[1], wrong = it.right().get(0) ? r[1] : r[0];
                s.add(Score.of(right > wrong ? 1 : right == wrong ? 0.5 : 0, ""));
            }
            sb.append("| ").append(m.name()).append(" | ").append(cell(s)).append(" | ").append(read).append(" of ").append(2 * pairs.size()).append(" |\n");
        }
        return sb.toString();
    }

    /** text_llm_blender (zero-shot) with the trained model as ranker and fuser over a pool that disagrees, against each model alone. */
    private static String blender(LocalModel formats, int n) {
        StringBuilder sb = new StringBuilder();
        for (Skill s : List.of(Skill.SORT, Skill.KBQA)) {
            List<ModelEndpoint> pool = new ArrayList<>(List.of(formats));
            for (String name : List.of("sort", "reverse", "code")) pool.add(Zoo.shipped().load(name, 1));
            Task task = SkillTasks.task(s).limit(n);
            CollaborationMethod method = Methods.llmBlender().ranker("formats").fuser("formats").topK(2);
            RunReport r = MoCo.run().models(pool).method(method).task(task).settings(new GenerationSettings(32, 0.0, 1.0, 1, 7))
                    .seed(7).concurrency(1).execute();
            sb.append("text_llm_blender on ").append(s.taskName()).append(String.format(Locale.ROOT, ": %.3f; ", r.meanScore()));
            r.baselines().forEach(b -> sb.append(b.model()).append(String.format(Locale.ROOT, " %.3f; ", b.summary().mean())));
            RunReport.Comparison c = r.comparison();
            if (c != null) {
                sb.append(String.format(Locale.ROOT, "vs best single (%s): %+.3f [%+.3f, %+.3f], %d wins %d ties %d losses", c.baseline(), c.meanDifference(),
                        c.interval().low(), c.interval().high(), c.wins(), c.ties(), c.losses()));
            }
            sb.append('\n');
            System.err.println(sb);
        }
        return sb.toString();
    }

    private static void train(LocalModel base, int steps, Path file, Set<Format> formats, int batchTokens, double lr) {
        int perFormat = Math.max(300, 3000 / formats.size());
        List<TrainingExample> rows = new ArrayList<>(FormatRows.fit(FormatRows.mixture(11, perFormat, formats), base));
        int formatRows = rows.size();
        for (Skill s : Skill.values()) rows.addAll(TrainingData.skill(s, 11, 150));
        rows.addAll(TrainingData.knowledge());
        rows = TrainingData.mix(11, rows);
        System.err.printf("training on %d rows (%d in the prompt formats %s), %d steps of %d tokens, learning rate %g%n", rows.size(), formatRows,
                formats, steps, batchTokens, lr);
        TrainingConfig cfg = TrainingConfig.builder().objective(TrainingObjective.SFT).steps(steps).learningRate(lr)
                .warmupSteps(Math.max(1, steps / 10)).batchTokens(batchTokens).microBatchTokens(batchTokens).threads(2).seed(11).weightDecay(0.0)
                .fullFineTuning().build();
        long t0 = System.nanoTime();
        TrainingResult res = Trainer.train(base, rows, cfg, p -> {
            if (p.step() % 10 == 0) System.err.printf("step %d/%d loss %.3f (%.0f s)%n", p.step(), p.totalSteps(), p.loss(), (System.nanoTime() - t0) / 1e9);
        });
        res.model().save(file, GgmlType.F32);
    }

    private static String ask(LocalModel m, String prompt, int maxTokens) {
        int room = m.contextLength() - m.encodeChat(List.of(ChatMessage.user(prompt)), true).length;
        if (room < 2) return "";
        return m.generate(GenerationRequest.builder().user(prompt).maxTokens(Math.min(maxTokens, room)).temperature(0).build()).text();
    }

    private static String majorityOf(List<String> shown) {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int top = 0;
        for (String x : shown) {
            int c = counts.merge(x, 1, Integer::sum);
            if (c > top) { top = c; best = x; }
        }
        return best;
    }

    private static String cell(List<Score> s) {
        if (s.isEmpty()) return "-";
        MeanWithInterval m = Aggregation.defaults().mean(s);
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", m.mean(), m.low(), m.high());
    }
}
