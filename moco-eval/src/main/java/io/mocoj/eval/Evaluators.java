package io.mocoj.eval;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.mocoj.eval.internal.JudgeRequiredEvaluator;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;

import java.util.Locale;

/**
 * Factories for every evaluator. The plain factories use {@link MatchMode#MOCO_COMPATIBLE};
 * the {@code strict…} ones opt into {@link MatchMode#STRICT}.
 */
public final class Evaluators {
    private Evaluators() {}

    /** Multiple choice, MoCo-compatible letter matching. */
    public static MultipleChoiceEvaluator multipleChoice() { return new MultipleChoiceEvaluator(MatchMode.MOCO_COMPATIBLE); }

    public static MultipleChoiceEvaluator multipleChoice(MatchMode mode) { return new MultipleChoiceEvaluator(mode); }

    /** Multiple choice with strict letter matching. */
    public static MultipleChoiceEvaluator strictMultipleChoice() { return new MultipleChoiceEvaluator(MatchMode.STRICT); }

    /** Exact match, MoCo-compatible extraction and normalisation. */
    public static ExactMatchEvaluator exactMatch() { return new ExactMatchEvaluator(MatchMode.MOCO_COMPATIBLE); }

    public static ExactMatchEvaluator exactMatch(MatchMode mode) { return new ExactMatchEvaluator(mode); }

    /** Exact match with balanced-brace extraction and numeric equivalence. */
    public static ExactMatchEvaluator strictExactMatch() { return new ExactMatchEvaluator(MatchMode.STRICT); }

    /** Token F1 (best over the references), MoCo-compatible extraction. */
    public static F1MatchEvaluator f1Match() { return new F1MatchEvaluator(MatchMode.MOCO_COMPATIBLE); }

    public static F1MatchEvaluator f1Match(MatchMode mode) { return new F1MatchEvaluator(mode); }

    /** Token F1 with strict extraction. */
    public static F1MatchEvaluator strictF1Match() { return new F1MatchEvaluator(MatchMode.STRICT); }

    /** culturebench: exact match, then all-or-nothing per {@code question_id}. */
    public static GroupAllCorrectEvaluator culturebench() { return culturebench(MatchMode.MOCO_COMPATIBLE); }

    public static GroupAllCorrectEvaluator culturebench(MatchMode mode) {
        return new GroupAllCorrectEvaluator(exactMatch(mode), "question_id");
    }

    /** Any evaluator with all-or-nothing scoring over the groups of {@code field}. */
    public static GroupAllCorrectEvaluator groupAllCorrect(Evaluator inner, String field) {
        return new GroupAllCorrectEvaluator(inner, field);
    }

    /** coconot-style keyword noncompliance detection, MoCo-compatible (its quirks included). */
    public static NoncomplianceEvaluator noncompliance() { return new NoncomplianceEvaluator(); }

    /** coconot-style noncompliance in the given mode (strict fixes MoCo's apostrophe and universal-unknowns quirks). */
    public static NoncomplianceEvaluator noncompliance(MatchMode mode) { return new NoncomplianceEvaluator(mode); }

    /** ifeval with MoCo's simplified checkers. */
    public static IfEvalEvaluator ifeval() { return new IfEvalEvaluator(MatchMode.MOCO_COMPATIBLE); }

    /** ifeval in the given mode ({@link MatchMode#STRICT}: the official IFEval definitions). */
    public static IfEvalEvaluator ifeval(MatchMode mode) { return new IfEvalEvaluator(mode); }

    /** Coding with a default {@link CodeSandbox}, created on first use. */
    public static CodingEvaluator coding() { return new CodingEvaluator(CodeSandbox::createDefault); }

    /** Coding with the given sandbox (limits, parallelism, interpreter). */
    public static CodingEvaluator coding(CodeSandbox sandbox) { return new CodingEvaluator(sandbox); }

    /** reward_model: the judge rates each (input, response) from 1 to 10. */
    public static RewardModelEvaluator rewardModel(ModelEndpoint judge) {
        return new RewardModelEvaluator(TaskType.REWARD_MODEL, judge, JudgeSettings.defaults());
    }

    public static RewardModelEvaluator rewardModel(ModelEndpoint judge, JudgeSettings settings) {
        return new RewardModelEvaluator(TaskType.REWARD_MODEL, judge, settings);
    }

    /** text_generation: scored like reward_model (MoCo scores its dev split with a reward model). */
    public static RewardModelEvaluator textGeneration(ModelEndpoint judge) {
        return new RewardModelEvaluator(TaskType.TEXT_GENERATION, judge, JudgeSettings.defaults());
    }

    /** general_verifier: the judge decides whether the answer is equivalent to the reference. */
    public static GeneralVerifierEvaluator generalVerifier(ModelEndpoint judge) {
        return new GeneralVerifierEvaluator(judge, JudgeSettings.defaults(), MatchMode.MOCO_COMPATIBLE);
    }

    public static GeneralVerifierEvaluator generalVerifier(ModelEndpoint judge, JudgeSettings settings, MatchMode mode) {
        return new GeneralVerifierEvaluator(judge, settings, mode);
    }

    /** generation_diversity with the in-process all-MiniLM-L6-v2 model, loaded on first use. */
    public static GenerationDiversityEvaluator generationDiversity() {
        return new GenerationDiversityEvaluator((java.util.function.Supplier<EmbeddingModel>) () -> new AllMiniLmL6V2EmbeddingModel());
    }

    /** generation_diversity with any LangChain4j embedding model. */
    public static GenerationDiversityEvaluator generationDiversity(EmbeddingModel model) {
        return new GenerationDiversityEvaluator(model);
    }

    /**
     * The MoCo-compatible evaluator for a task, chosen by its type and, where scoring has
     * quirks, its name (culturebench group scoring). Task types scored by a judge model
     * (reward_model, text_generation, general_verifier) get an evaluator whose scores all fail
     * with a message naming the factory to use, since only the caller can give the judge.
     */
    public static Evaluator forTask(Task task) { return forTask(task, MatchMode.MOCO_COMPATIBLE); }

    /** Like {@link #forTask(Task)} with the given match mode for mc / em / f1 tasks. */
    public static Evaluator forTask(Task task, MatchMode mode) {
        String name = task.name().toLowerCase(Locale.ROOT);
        return switch (task.type()) {
            case MULTIPLE_CHOICE -> multipleChoice(mode);
            case EXACT_MATCH -> name.equals("culturebench") ? culturebench(mode) : exactMatch(mode);
            case F1_MATCH -> f1Match(mode);
            case NONCOMPLIANCE -> noncompliance(mode);
            case IFEVAL -> ifeval(mode);
            case SMDD -> smdd(mode);
            case KERNEL_BENCH -> kernelBench();
            case CODING -> coding();
            case GENERATION_DIVERSITY -> generationDiversity();
            case REWARD_MODEL, TEXT_GENERATION, GENERAL_VERIFIER -> new JudgeRequiredEvaluator(task.type(), task.name());
        };
    }

    /**
     * The evaluator of a task type without a task: as {@link #forTask(Task, MatchMode)} for a task of that type
     * (name-based rules such as culturebench's groups do not apply; use {@link #culturebench(MatchMode)} for them).
     */
    public static Evaluator forTaskType(TaskType type, MatchMode mode) {
        return forTask(new Task(type.configName(), type, java.util.List.of(), java.util.List.of()), mode);
    }

    /**
     * Scores one response to one item given as its fields, shaped like an object of a MoCo data file
     * ({@code {"question", "choices", "answer"}}, {@code {"input", "output"}}, …), without building a task.
     *
     * <pre>{@code
     * Score s = Evaluators.scoreItem(TaskType.EXACT_MATCH, MatchMode.STRICT, Map.of("input", "2+2?", "output", "4"), "\\boxed{4}");
     * }</pre>
     *
     * @throws io.mocoj.datasets.DatasetFormatException when the fields do not fit the task type (the message names the field)
     */
    public static io.mocoj.task.Score scoreItem(TaskType type, MatchMode mode, java.util.Map<String, ?> item, String response) {
        return forTaskType(type, mode).score(io.mocoj.datasets.Datasets.example(type, item), response);
    }

    /** smdd in the given mode, with {@link SmddEvaluator#defaultSandbox()} made on first use (which needs RDKit). */
    public static SmddEvaluator smdd(MatchMode mode) { return new SmddEvaluator(SmddEvaluator::defaultSandbox, mode); }

    /** smdd with your sandbox (its interpreter must import RDKit). */
    public static SmddEvaluator smdd(CodeSandbox sandbox, MatchMode mode) { return new SmddEvaluator(CodingEvaluator.constant(sandbox), mode); }

    /** kernel_bench with {@link KernelBenchEvaluator#defaultSandbox()} made on first use (which needs a CUDA GPU and PyTorch). */
    public static KernelBenchEvaluator kernelBench() { return new KernelBenchEvaluator(KernelBenchEvaluator::defaultSandbox); }

    /** kernel_bench with your sandbox. */
    public static KernelBenchEvaluator kernelBench(CodeSandbox sandbox) { return new KernelBenchEvaluator(CodingEvaluator.constant(sandbox)); }
}
