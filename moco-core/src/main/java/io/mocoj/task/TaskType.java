package io.mocoj.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a task's outputs are scored; the names are MoCo's {@code task_type} values. */
public enum TaskType {
    MULTIPLE_CHOICE, EXACT_MATCH, F1_MATCH, NONCOMPLIANCE, CODING, REWARD_MODEL, GENERAL_VERIFIER,
    GENERATION_DIVERSITY, TEXT_GENERATION,
    /** Instruction following (IFEval): the share of an item's verifiable instructions the response follows. */
    IFEVAL,
    /** Small-molecule drug design: RDKit-checked pharmacophore code and lead-optimisation SMILES (needs Python with RDKit). */
    SMDD,
    /** CUDA kernels replacing PyTorch operators, scored on compile, correctness and speed-up (needs a CUDA GPU with PyTorch). */
    KERNEL_BENCH;

    /** The MoCo config name, e.g. {@code multiple_choice}. */
    public String configName() { return name().toLowerCase(Locale.ROOT); }

    /** Whether outputs reduce to a short answer that can be voted on (mc, em, f1). */
    public boolean hasDiscreteAnswers() {
        return this == MULTIPLE_CHOICE || this == EXACT_MATCH || this == F1_MATCH;
    }

    /** Parses a MoCo {@code task_type}; the error lists the accepted names. */
    public static TaskType fromConfigName(String name) {
        for (TaskType t : values()) if (t.configName().equals(name)) return t;
        throw new IllegalArgumentException("unknown task_type '" + name + "'; accepted: "
                + Arrays.stream(values()).map(TaskType::configName).collect(Collectors.joining(", ")));
    }
}
