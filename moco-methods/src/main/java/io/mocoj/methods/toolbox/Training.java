package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.method.ParameterSpec;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Example;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainableModel;
import io.mocoj.train.TrainedModel;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the training-based methods share: the refusal of pools that cannot train, the LoRA rank
 * hyperparameter, and one call that trains a model through the engine
 * ({@link MethodContext#fineTune}) with a method's settings.
 */
public final class Training {
    private Training() {}

    /** The LoRA rank of every adapter a method trains ({@code 0}: full fine-tuning). */
    public static ParameterSpec loraRankParameter() {
        return ParameterSpec.integer("lora_rank", 16, 0, 4096, "LoRA rank of the trained adapters (0: full fine-tuning)");
    }

    /**
     * How often the trainer writes a checkpoint (TRL's {@code save_steps}); a run killed during
     * training resumes from the newest one when it is started again with the same log directory.
     */
    public static ParameterSpec checkpointEveryParameter() {
        return ParameterSpec.integer("checkpoint_every", 0, 0, 1_000_000, "optimiser steps between training checkpoints (0: the trainer's default, 50)");
    }

    /** TRL's {@code max_steps}: a cap on each job's optimiser steps (0: the method's epochs over its rows). */
    public static ParameterSpec maxStepsParameter() {
        return ParameterSpec.integer("max_steps", 0, 0, 100_000_000, "optimiser steps per training job (0: the epochs over its rows decide)");
    }

    /** The settings of one kind of training job of a method; {@code options} as {@link FineTuneRequest#OPTIONS}. */
    public record Settings(TrainingObjective objective, double learningRate, int epochs, int steps, int loraRank, java.util.Map<String, Object> options) {
        public Settings {
            options = java.util.Map.copyOf(options);
        }

        public Settings(TrainingObjective objective, double learningRate, int epochs, int steps, int loraRank) {
            this(objective, learningRate, epochs, steps, loraRank, java.util.Map.of());
        }

        /** These settings with the method's {@code max_steps} and {@code checkpoint_every} (each ignored when 0). */
        public Settings withTrainerLimits(io.mocoj.method.Hyperparameters hp) {
            java.util.Map<String, Object> o = new java.util.LinkedHashMap<>(options);
            if (hp.getInt("checkpoint_every") > 0) o.put("checkpoint_every", hp.getInt("checkpoint_every"));
            int max = hp.getInt("max_steps");
            return new Settings(objective, learningRate, epochs, max > 0 ? max : steps, loraRank, o);
        }
    }

    /**
     * Refuses, before any work, a pool with a model that cannot be fine-tuned, or that cannot apply
     * the given settings of the method's jobs (a hosted model asked for an absolute learning rate,
     * say), naming the model.
     *
     * @throws IllegalArgumentException naming the first such model and what to use instead
     */
    public static void requireTrainable(String method, List<ModelEndpoint> models, Settings... jobs) {
        for (ModelEndpoint m : models) {
            if (!(m instanceof TrainableModel t)) {
                throw new IllegalArgumentException("method " + method + " fine-tunes every pool model, but model '" + m.name()
                        + "' cannot be trained (it offers " + m.capabilities() + "); use gguf: models, or openai-ft: for hosted fine-tuning");
            }
            for (Settings s : jobs) {
                try {
                    t.checkSettings(s.objective(), s.steps(), s.learningRate(), s.options().keySet());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("method " + method + " cannot fine-tune model '" + m.name()
                            + "' with its settings (nothing was run): " + e.getMessage(), e);
                }
            }
        }
    }

    /** Trains {@code model} on {@code rows} through the engine; the seed is the run's plus {@code salt}. */
    public static TrainedModel train(MethodContext context, ModelEndpoint model, String label, List<? extends TrainingExample> rows,
                                     Settings s, long salt, RewardFunction reward) {
        FineTuneRequest.Builder b = FineTuneRequest.builder(s.objective(), List.copyOf(rows))
                .learningRate(s.learningRate()).epochs(s.epochs()).steps(s.steps()).loraRank(s.loraRank())
                .seed(context.settings().seed() + salt).suffix(label).reward(reward);
        s.options().forEach(b::option);
        FineTuneRequest request = b.build();
        return context.fineTune(model, label.replaceAll("[^A-Za-z0-9._-]", "_"), request);
    }

    /**
     * Trains every model of {@code current} (pool name → current endpoint) on the same rows, one job
     * each labelled {@code iter<iteration>-<kind>-<name>}, replaces it by the result and adds the
     * result to {@code candidates}.
     */
    public static void trainEach(MethodContext context, java.util.Map<String, ModelEndpoint> current, String kind, int iteration,
                                 List<? extends TrainingExample> rows, Settings s, List<Candidate> candidates) {
        int m = 0;
        for (String name : List.copyOf(current.keySet())) {
            ModelEndpoint tuned = train(context, current.get(name), "iter" + iteration + "-" + kind + "-" + name, rows, s, 1000L * iteration + m++, null).model();
            current.put(name, tuned);
            candidates.add(new Candidate(iteration, name, tuned));
        }
    }

    /** A trained model that may be chosen on dev: the iteration (0-based) that produced it and the pool model it descends from. */
    public record Candidate(int iteration, String poolModel, ModelEndpoint model) {}

    /** What the dev selection saw: every candidate's dev score and the winner. */
    public record Selection(List<String> candidates, List<Double> devScores, List<Integer> failures, String chosen, double devScore) {}

    /**
     * The candidate with the best mean score on {@code dev} (the first on ties), recorded as the
     * run event {@code dev_selection}. With no candidates (nothing was trained) the best pool model
     * on dev is chosen instead.
     */
    public static ModelEndpoint bestOnDev(MethodContext context, List<Candidate> candidates, List<io.mocoj.task.Example> dev) {
        List<String> names = new java.util.ArrayList<>();
        List<Double> scores = new java.util.ArrayList<>();
        List<Integer> failures = new java.util.ArrayList<>();
        ModelEndpoint best = null;
        double top = Double.NEGATIVE_INFINITY;
        if (candidates.isEmpty()) {
            var d = context.devEvaluation();
            for (int m = 0; m < context.models().size(); m++) {
                names.add(context.model(m).name());
                scores.add(d.meanScore(m));
                failures.add(0);
                if (d.meanScore(m) > top) { top = d.meanScore(m); best = context.model(m); }
            }
        } else {
            List<DevScores.Result> results = new java.util.ArrayList<>();
            for (Candidate c : candidates) results.add(DevScores.score(context, c.model(), dev));
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                names.add(c.poolModel() + "@iteration" + c.iteration());
                scores.add(results.get(i).mean());
                failures.add(results.get(i).failures());
                if (results.get(i).mean() > top) { top = results.get(i).mean(); best = c.model(); }
            }
        }
        String chosen = names.get(scores.indexOf(top));
        context.trace().record("dev_selection", java.util.Map.of("selection", new Selection(names, scores, failures, chosen, top)));
        return best;
    }

    /**
     * The model a training option names: the pool model of that name (or spec up to '?'), else a
     * model spec resolved here (e.g. {@code gguf:/models/agg.gguf}); {@code null} gives the pool
     * model at {@code defaultIndex}. The model must be able to train.
     *
     * @throws IllegalArgumentException naming the option, the model and what to do
     */
    public static ModelEndpoint trainable(String method, String option, String nameOrSpec, List<ModelEndpoint> pool, int defaultIndex) {
        ModelEndpoint m = nameOrSpec == null ? pool.get(defaultIndex) : find(method, option, nameOrSpec, pool);
        requireTrain(method, m, option + (nameOrSpec == null ? " (default: pool model " + defaultIndex + ")" : ""));
        return m;
    }

    /** Refuses a model without TRAIN before any work, naming it and its role. */
    public static void requireTrain(String method, ModelEndpoint m, String role) {
        if (!(m instanceof TrainableModel) || !m.has(Capability.TRAIN)) {
            throw new IllegalArgumentException("method " + method + " fine-tunes model '" + m.name() + "' (" + role + "), which cannot"
                    + " train (no capability TRAIN): use a gguf: model (trained in-process) or an openai-ft: model (SFT/DPO)");
        }
    }

    /**
     * The model an option names (need not train): the pool model of that name (or spec up to '?'),
     * else a model spec resolved here.
     *
     * @throws IllegalArgumentException naming the option and what to give
     */
    public static ModelEndpoint find(String method, String option, String nameOrSpec, List<ModelEndpoint> pool) {
        String bare = nameOrSpec.contains("?") ? nameOrSpec.substring(0, nameOrSpec.indexOf('?')) : nameOrSpec;
        for (ModelEndpoint m : pool) if (m.name().equals(bare) || m.name().equals(nameOrSpec)) return m;
        try {
            return ModelSpecs.resolve(nameOrSpec, new SpecContext(Optional.empty(), 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method " + method + ": " + option + " '" + nameOrSpec + "' is neither a model of the pool "
                    + pool.stream().map(ModelEndpoint::name).toList() + " nor a usable model spec: " + e.getMessage(), e);
        }
    }

    /**
     * GRPO's reward from the task: the evaluator's score of the completion for the example whose
     * training prompt it is ({@code byPrompt}: training prompt → example).
     */
    public static RewardFunction taskReward(MethodContext context, Map<String, Example> byPrompt) {
        return (row, completion) -> {
            Example e = byPrompt.get(row.prompt());
            if (e == null) throw new IllegalStateException("no task example for a training prompt");
            return context.evaluator().score(e, completion).value();
        };
    }
}
