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
        LORA
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
     * @param note     one line describing the model
     */
    public record ModelRecipe(String name, Kind kind, String parent, Skill skill, int dim, int layers, int steps, int batchTokens,
                              double learningRate, long seed, String note) {
        public ModelRecipe {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.PRETRAINED) != (parent == null)) throw new IllegalArgumentException(name + ": only pretrained models have no parent");
        }

        static ModelRecipe pretrained(String name, int dim, int layers, int steps, long seed, String note) {
            return new ModelRecipe(name, Kind.PRETRAINED, null, null, dim, layers, steps, 4096, 3e-3, seed, note);
        }

        static ModelRecipe specialist(String name, String parent, Skill skill, int steps) {
            return new ModelRecipe(name, Kind.SPECIALIST, parent, skill, 0, 0, steps, 4096, 3e-3, 100 + skill.ordinal(),
                    "base fully fine-tuned on " + skill.taskName());
        }

        static ModelRecipe lora(String name, String parent, Skill skill, int steps) {
            return new ModelRecipe(name, Kind.LORA, parent, skill, 0, 0, steps, 4096, 1e-2, 200 + skill.ordinal(),
                    "LoRA adapter (rank 8) of base trained on " + skill.taskName());
        }
    }

    /** The default zoo (the shipped set). */
    public static ZooRecipe standard() {
        return new ZooRecipe(400, 1500, List.of(
                ModelRecipe.pretrained("base", 64, 2, 400, 1, "pretrained from scratch on the mixture of all skills"),
                ModelRecipe.pretrained("weak", 32, 1, 40, 3, "deliberately weak: one narrow block, briefly trained"),
                ModelRecipe.specialist("mcq", "base", Skill.MCQ, 40),
                ModelRecipe.specialist("arith", "base", Skill.ARITH, 40),
                ModelRecipe.specialist("reverse", "base", Skill.REVERSE, 40),
                ModelRecipe.specialist("sort", "base", Skill.SORT, 40),
                ModelRecipe.specialist("kbqa", "base", Skill.KBQA, 40),
                ModelRecipe.specialist("code", "base", Skill.CODE, 20),
                ModelRecipe.lora("lora-sort", "base", Skill.SORT, 30)), 2);
    }

    /** A few-second zoo with the same structure (for tests of the build itself; its models learn little). */
    public static ZooRecipe mini() {
        return new ZooRecipe(40, 20, List.of(
                new ModelRecipe("base", Kind.PRETRAINED, null, null, 16, 1, 3, 512, 3e-3, 1, "mini base"),
                new ModelRecipe("arith", Kind.SPECIALIST, "base", Skill.ARITH, 0, 0, 2, 512, 1e-3, 5, "mini specialist"),
                new ModelRecipe("lora-arith", Kind.LORA, "base", Skill.ARITH, 0, 0, 2, 512, 1e-3, 6, "mini adapter")), 2);
    }
}
