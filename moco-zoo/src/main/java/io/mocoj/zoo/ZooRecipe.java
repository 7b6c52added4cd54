package io.mocoj.zoo;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ZooBuilder} trains: the shared tokenizer's size, the models (in build order) and the
 * threads every training run uses (fixed, so that the files do not depend on the machine).
 *
 * @param merges  BPE merges of the shared tokenizer
 * @param rowsPerSkill training rows generated per skill for pretraining
 * @param models  the models, each from scratch or from an earlier model of the list
 * @param threads threads of every training run
 */
public record ZooRecipe(int merges, int rowsPerSkill, List<ModelRecipe> models, int threads) {
    public ZooRecipe {
        models = List.copyOf(models);
        if (merges < 0 || rowsPerSkill < 1 || threads < 1) throw new IllegalArgumentException("bad zoo recipe");
    }

    /** How a model is made. */
    public enum Kind {
        /** Pretrained from random initial weights on the mixture of all skills. */
        PRETRAINED,
        /** Fully fine-tuned from a parent on one skill. */
        SPECIALIST,
        /** A LoRA adapter of a parent trained on one skill (written as an adapter GGUF). */
        LORA,
        /**
         * Fully fine-tuned from a parent on the text methods' prompt formats
         * ({@link io.mocoj.zoo.formats.FormatRows}: shown answers, feedback, knowledge paragraphs,
         * pairwise judgement, aggregation, peer-judge scores, the zoo_open judge, routing), with a
         * replay of the mixture so it keeps its skills.
         */
        TEAM,
        /**
         * Fully fine-tuned from a parent on AggLM's aggregation prompt with completions that name a
         * uniformly random shown solution and copy its boxed answer
         * ({@link io.mocoj.zoo.formats.AggregationPicks}): the shape of an aggregate, not which
         * solution to keep (no replay).
         */
        AGGREGATOR
    }

    /**
     * One model of the zoo.
     *
     * @param name     file name without {@code .gguf}, and the name in {@code zoo:NAME} specs
     * @param kind     how it is made
     * @param parent   the model it starts from (specialists and adapters), else null
     * @param skill    the skill it is fine-tuned on (specialists and adapters), else null
     * @param dim      width (pretrained models)
     * @param layers   blocks (pretrained models)
     * @param steps    optimiser steps
     * @param batchTokens tokens per step
     * @param learningRate peak learning rate
     * @param seed     initialisation, data order and data seed
     * @param replay   specialists and adapters: rows of the pretraining mixture mixed in, as a fraction of the skill's rows
     *                 (how much of the other skills they keep seeing, so they forget them only partly)
     * @param note     one line describing the model
     */
    public record ModelRecipe(String name, Kind kind, String parent, Skill skill, int dim, int layers, int steps, int batchTokens,
                              double learningRate, long seed, double replay, String note) {
        public ModelRecipe {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.PRETRAINED) != (parent == null)) throw new IllegalArgumentException(name + ": only pretrained models have no parent");
        }

        static ModelRecipe pretrained(String name, int dim, int layers, int steps, long seed, String note) {
            return new ModelRecipe(name, Kind.PRETRAINED, null, null, dim, layers, steps, 4096, 3e-3, seed, 0, note);
        }

        static ModelRecipe specialist(String name, String parent, Skill skill, int steps, long seed) {
            return new ModelRecipe(name, Kind.SPECIALIST, parent, skill, 0, 0, steps, 4096, 2e-3, seed, 0.1,
                    parent + " fully fine-tuned on " + skill.taskName());
        }

        static ModelRecipe lora(String name, String parent, Skill skill, int steps, long seed) {
            return new ModelRecipe(name, Kind.LORA, parent, skill, 0, 0, steps, 4096, 1e-2, seed, 0.1,
                    "LoRA adapter (rank 8) of " + parent + " trained on " + skill.taskName());
        }

        static ModelRecipe aggregator(String name, String parent, int steps, long seed) {
            return new ModelRecipe(name, Kind.AGGREGATOR, parent, null, 0, 0, steps, 4096, 2e-3, seed, 0,
                    parent + " fully fine-tuned to answer AggLM's aggregation prompt by naming a random shown solution and copying its boxed answer");
        }

        static ModelRecipe team(String name, String parent, int steps, long seed) {
            return new ModelRecipe(name, Kind.TEAM, parent, null, 0, 0, steps, 4096, 2e-3, seed, 0.5,
                    parent + " fully fine-tuned on the text methods' prompt formats (debate, feedback, knowledge, ranking, aggregation, judging)");
        }
    }

    /** Optimiser steps of the {@code agg} model. */
    static final int AGG_STEPS = 200;

    /** The default zoo (the shipped set). */
    public static ZooRecipe standard() {
        return new ZooRecipe(400, 1500, List.of(
                ModelRecipe.pretrained("base", 64, 2, 700, 1, "pretrained from scratch on the mixture of all skills"),
                ModelRecipe.pretrained("base-b", 48, 3, 450, 2, "a second base: narrower, one block deeper, another seed"),
                ModelRecipe.pretrained("weak", 32, 1, 250, 3, "deliberately weak: one narrow block, briefly trained"),
                ModelRecipe.specialist("mcq", "base", Skill.MCQ, 140, 100),
                ModelRecipe.specialist("arith", "base", Skill.ARITH, 240, 101),
                ModelRecipe.specialist("reverse", "base", Skill.REVERSE, 300, 102),
                ModelRecipe.specialist("sort", "base", Skill.SORT, 80, 103),
                ModelRecipe.specialist("kbqa", "base", Skill.KBQA, 50, 104),
                ModelRecipe.specialist("code", "base", Skill.CODE, 30, 106),
                ModelRecipe.lora("lora-sort", "base", Skill.SORT, 60, 203),
                ModelRecipe.lora("lora-arith", "base", Skill.ARITH, 120, 201),
                ModelRecipe.lora("lora-mcq", "base", Skill.MCQ, 80, 200),
                ModelRecipe.team("team", "base", 200, 300),
                ModelRecipe.aggregator("agg", "team", AGG_STEPS, 400)), 2);
    }

    /** A few-second zoo with the same structure (for tests of the build itself; its models learn little). */
    public static ZooRecipe mini() {
        return new ZooRecipe(40, 20, List.of(
                new ModelRecipe("base", Kind.PRETRAINED, null, null, 16, 1, 3, 512, 3e-3, 1, 0, "mini base"),
                new ModelRecipe("arith", Kind.SPECIALIST, "base", Skill.ARITH, 0, 0, 2, 512, 1e-3, 5, 0.1, "mini specialist"),
                new ModelRecipe("lora-arith", Kind.LORA, "base", Skill.ARITH, 0, 0, 2, 512, 1e-3, 6, 0.1, "mini adapter"),
                new ModelRecipe("team", Kind.TEAM, "base", null, 0, 0, 2, 512, 1e-3, 7, 0.5, "mini team model")), 2);
    }
}
