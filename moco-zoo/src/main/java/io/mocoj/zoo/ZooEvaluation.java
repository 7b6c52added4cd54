package io.mocoj.zoo;

import io.mocoj.eval.Aggregation;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MeanWithInterval;
import io.mocoj.local.LocalModel;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The accuracy matrix of a zoo: every model alone on the test split of every automatically scored
 * skill (greedy decoding of the evaluator's prompt, MoCo's evaluators), with 95% bootstrap
 * intervals, the oracle router (per item the best model's score: the headroom of routing) and the
 * best single model per skill.
 */
public final class ZooEvaluation {
    /** Tokens generated per answer. */
    public static final int MAX_TOKENS = 48;

    private ZooEvaluation() {}

    /** Per item the highest score of any model's list (a failed score counts 0): the oracle router. */
    static List<Score> oracleOf(Map<String, List<Score>> byModel) {
        List<Score> out = new ArrayList<>();
        int n = byModel.values().iterator().next().size();
        for (int i = 0; i < n; i++) {
            double best = 0;
            for (List<Score> s : byModel.values()) best = Math.max(best, s.get(i).failed() ? 0 : s.get(i).value());
            out.add(new Score(best, "", false, "oracle"));
        }
        return out;
    }

    /** The model with the highest {@code mean} (the first in model order on ties). */
    static String bestOf(List<String> models, java.util.function.ToDoubleFunction<String> mean) {
        String best = null;
        double bestMean = -1;
        for (String m : models) {
            double v = mean.applyAsDouble(m);
            if (v > bestMean) { best = m; bestMean = v; }
        }
        return best;
    }

    /** Scores of every model on every skill, item by item in test order. */
    public record Result(List<String> models, List<Skill> skills, int limit, Map<Skill, Map<String, List<Score>>> scores) {
        /** The mean of {@code model} on {@code skill} with its interval. */
        public MeanWithInterval mean(Skill skill, String model) { return Aggregation.defaults().mean(scores.get(skill).get(model)); }

        /** Per item the highest score of any model. */
        public List<Score> oracle(Skill skill) { return oracleOf(scores.get(skill)); }

        /** The model with the highest mean on {@code skill} (the first in model order on ties). */
        public String bestSingle(Skill skill) { return bestOf(models, m -> mean(skill, m).mean()); }

        /** Every item of every skill of {@code model}, skill after skill: one model answering a mixed stream of all the skills. */
        public List<Score> pooled(String model) {
            List<Score> out = new ArrayList<>();
            for (Skill s : skills) out.addAll(scores.get(s).get(model));
            return out;
        }

        /** {@link #oracle} over {@link #pooled} items: a router that sends each item of the mixed stream to a model that gets it right. */
        public List<Score> pooledOracle() {
            List<Score> out = new ArrayList<>();
            for (Skill s : skills) out.addAll(oracle(s));
            return out;
        }

        /** The model with the highest {@link #pooled} mean (the first in model order on ties). */
        public String bestSinglePooled() {
            String best = null;
            double bestMean = -1;
            for (String m : models) {
                double v = Aggregation.defaults().mean(pooled(m)).mean();
                if (v > bestMean) { best = m; bestMean = v; }
            }
            return best;
        }

        /**
         * The matrix as a Markdown table: a row per model, a column per skill and one for all the
         * skills pooled (when there are several), then the best single model and the oracle.
         */
        public String toMarkdown() {
            boolean all = skills.size() > 1;
            StringBuilder sb = new StringBuilder("| model |");
            for (Skill s : skills) sb.append(' ').append(s.taskName()).append(" |");
            if (all) sb.append(" all skills |");
            sb.append("\n|---|");
            sb.append("---|".repeat(skills.size() + (all ? 1 : 0))).append('\n');
            for (String m : models) {
                sb.append("| ").append(m).append(" |");
                for (Skill s : skills) sb.append(' ').append(bold(m.equals(bestSingle(s)), cell(mean(s, m)))).append(" |");
                if (all) sb.append(' ').append(bold(m.equals(bestSinglePooled()), cell(Aggregation.defaults().mean(pooled(m))))).append(" |");
                sb.append('\n');
            }
            sb.append("| best single |");
            for (Skill s : skills) sb.append(' ').append(bestSingle(s)).append(" |");
            if (all) sb.append(' ').append(bestSinglePooled()).append(" |");
            sb.append("\n| oracle router |");
            for (Skill s : skills) sb.append(' ').append(cell(Aggregation.defaults().mean(oracle(s)))).append(" |");
            if (all) sb.append(' ').append(cell(Aggregation.defaults().mean(pooledOracle()))).append(" |");
            return sb.append('\n').toString();
        }

        static String bold(boolean on, String text) { return on ? "**" + text + "**" : text; }

        static String cell(MeanWithInterval m) {
            return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", m.mean(), m.low(), m.high())
                    + (m.failed() > 0 ? " (" + m.failed() + " unscored)" : "");
        }
    }

    /**
     * Evaluates {@code models} of {@code zoo} on the first {@code limit} test items of each skill,
     * running up to {@code threads} models at once (one thread each).
     */
    public static Result run(Zoo zoo, List<String> models, List<Skill> skills, int limit, int threads, Consumer<String> log) {
        Map<Skill, Task> tasks = new EnumMap<>(Skill.class);
        for (Skill s : skills) {
            if (!s.automaticallyScored()) throw new IllegalArgumentException(s.taskName() + " needs a judge model; it is not in the matrix");
            tasks.put(s, SkillTasks.task(s).limit(limit));
        }
        Map<Skill, Map<String, List<Score>>> scores = new EnumMap<>(Skill.class);
        for (Skill s : skills) scores.put(s, new LinkedHashMap<>());
        Map<String, Map<Skill, List<Score>>> byModel = eachModel(zoo, models, threads, log, model -> {
            Map<Skill, List<Score>> mine = new EnumMap<>(Skill.class);
            for (Skill s : skills) mine.put(s, score(model, tasks.get(s)));
            return mine;
        });
        for (Map.Entry<String, Map<Skill, List<Score>>> m : byModel.entrySet()) {
            for (Skill s : skills) scores.get(s).put(m.getKey(), m.getValue().get(s));
        }
        return new Result(List.copyOf(models), List.copyOf(skills), limit, scores);
    }

    /** Scores of every model on one task (such as the mixed {@code zoo_mix}), item by item in test order. */
    public record TaskResult(String task, List<String> models, int limit, Map<String, List<Score>> scores) {
        /** The mean of {@code model} with its interval. */
        public MeanWithInterval mean(String model) { return Aggregation.defaults().mean(scores.get(model)); }

        /** Per item the highest score of any model. */
        public List<Score> oracle() { return oracleOf(scores); }

        /** The model with the highest mean (the first in model order on ties). */
        public String bestSingle() { return bestOf(models, m -> mean(m).mean()); }

        /** One Markdown table row per task: a column per model, then the best single model and the oracle router. */
        public String toMarkdown() {
            StringBuilder sb = new StringBuilder("| task |");
            for (String m : models) sb.append(' ').append(m).append(" |");
            sb.append(" best single | oracle router |\n|---|").append("---|".repeat(models.size() + 2)).append("\n| ").append(task).append(" |");
            for (String m : models) sb.append(' ').append(Result.bold(m.equals(bestSingle()), Result.cell(mean(m)))).append(" |");
            return sb.append(' ').append(bestSingle()).append(" | ").append(Result.cell(Aggregation.defaults().mean(oracle()))).append(" |\n").toString();
        }
    }

    /** Evaluates {@code models} of {@code zoo} on the first {@code limit} test items of {@code task} (see {@link #run}). */
    public static TaskResult runTask(Zoo zoo, List<String> models, Task task, int limit, int threads, Consumer<String> log) {
        if (task.type() == io.mocoj.task.TaskType.TEXT_GENERATION) throw new IllegalArgumentException(task.name() + " needs a judge model; it is not evaluated here");
        Task limited = task.limit(limit);
        return new TaskResult(task.name(), List.copyOf(models), limit, eachModel(zoo, models, threads, log, model -> score(model, limited)));
    }

    /** {@code work} on every model (loaded with one thread), up to {@code threads} models at once; results in model order. */
    private static <T> Map<String, T> eachModel(Zoo zoo, List<String> models, int threads, Consumer<String> log,
                                                java.util.function.Function<LocalModel, T> work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        Map<String, T> out = new LinkedHashMap<>();
        try {
            Map<String, Future<T>> futures = new LinkedHashMap<>();
            for (String name : models) {
                futures.put(name, pool.submit(() -> {
                    T mine = work.apply(zoo.load(name, 1));
                    log.accept("evaluated " + name);
                    return mine;
                }));
            }
            for (Map.Entry<String, Future<T>> f : futures.entrySet()) out.put(f.getKey(), f.getValue().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("evaluation failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** Greedy answers of {@code model} to every test item of {@code task}, scored by the task's evaluator. */
    public static List<Score> score(LocalModel model, Task task) {
        Evaluator ev = Evaluators.forTask(task);
        List<Score> out = new ArrayList<>();
        for (Example e : task.test()) {
            String response = model.generate(GenerationRequest.builder().user(ev.prompt(e)).maxTokens(MAX_TOKENS).temperature(0).build()).text();
            out.add(ev.score(e, response));
        }
        return out;
    }
}
