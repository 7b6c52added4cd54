package io.mocoj.zoo;

import io.mocoj.task.TaskType;
import java.util.Arrays;
import java.util.Optional;

/** The skills of the CPU sandbox: one generated task per skill, each with MoCo's evaluator for its task type. */
public enum Skill {
    /** Which of four numbers is largest; unit conversions (multiple choice). */
    MCQ("zoo_mcq", TaskType.MULTIPLE_CHOICE, "Four-option questions: the largest of four numbers, and unit conversions."),
    /** Adding a one-digit number to, or subtracting it from, a two-digit one (exact match). */
    ARITH("zoo_arith", TaskType.EXACT_MATCH, "Add a one-digit number to a two-digit one, or subtract it, answer boxed."),
    /** Reversing a sequence of letters or digits (exact match). */
    REVERSE("zoo_reverse", TaskType.EXACT_MATCH, "Reverse a space-separated sequence of letters or digits."),
    /** Sorting a list of distinct digits ascending or descending (exact match). */
    SORT("zoo_sort", TaskType.EXACT_MATCH, "Sort a comma-separated list of three to five distinct digits ascending or descending."),
    /** Questions over a fictional knowledge base of people, towns and years (F1 match). */
    KBQA("zoo_kbqa", TaskType.F1_MATCH, "Paraphrased questions about the birthplace, birth year and occupation of fictional people."),
    /** Requests on a fictional forbidden list, to be refused (noncompliance). */
    REFUSAL("zoo_refusal", TaskType.NONCOMPLIANCE, "Requests on the sandbox's forbidden list (forgery, intrusion, theft), which a model should decline."),
    /** Tiny Python list functions checked by the code sandbox (coding). */
    CODE("zoo_code", TaskType.CODING, "Tiny Python functions over a list of integers (sum, maximum, reversal, ...), checked by unit tests."),
    /** One-sentence descriptions of fictional people and towns, scored by a judge (text generation). */
    OPEN("zoo_open", TaskType.TEXT_GENERATION, "Describe a fictional person or town of the knowledge base in one sentence; scored by a judge model.");

    private final String taskName;
    private final TaskType type;
    private final String description;

    Skill(String taskName, TaskType type, String description) {
        this.taskName = taskName;
        this.type = type;
        this.description = description;
    }

    /** The task name under which {@code ./moco} and {@link io.mocoj.task.Tasks#load} find this skill, e.g. {@code zoo_arith}. */
    public String taskName() { return taskName; }

    /** The MoCo task type (and so the evaluator) of this skill. */
    public TaskType type() { return type; }

    /** One line saying what the task is. */
    public String description() { return description; }

    /** The short name used in model names and specs, e.g. {@code arith}. */
    public String shortName() { return taskName.substring(4); }

    /** Whether scoring needs no judge model (every skill but {@link #OPEN}). */
    public boolean automaticallyScored() { return this != OPEN; }

    /** The skill of a task name ({@code zoo_arith}) or short name ({@code arith}). */
    public static Optional<Skill> find(String name) {
        return Arrays.stream(values()).filter(s -> s.taskName.equals(name) || s.shortName().equals(name)).findFirst();
    }
}
