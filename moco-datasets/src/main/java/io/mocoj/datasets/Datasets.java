package io.mocoj.datasets;

import io.mocoj.datasets.internal.Catalog;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;

import java.util.List;
import java.util.Optional;

/**
 * Entry point for the MoCo datasets and for your own data.
 *
 * <pre>{@code
 * Task gsm8k = Datasets.gsm8k();                     // default loader: data dir, cache, download
 * Task t = Datasets.load("mmlu_redux");
 * DatasetLoader offline = Datasets.builder().dataDir(Path.of("data")).offline(true).build();
 * Task mine = Datasets.custom("my_quiz").type(TaskType.MULTIPLE_CHOICE)
 *         .mapping(FieldMapping.builder().input("prompt").answer("label").build())
 *         .fromJsonl(Path.of("quiz.jsonl"));
 * }</pre>
 */
public final class Datasets {
    private Datasets() {}

    private static final class DefaultHolder {
        static final DatasetLoader LOADER = DatasetLoader.builder().build();
    }

    /** The shared loader configured from system properties and environment variables (created on first use). */
    public static DatasetLoader defaultLoader() { return DefaultHolder.LOADER; }

    /** Options for a loader of your own (data directory, cache directory, offline mode, mirror URL, ...). */
    public static DatasetLoader.Builder builder() { return DatasetLoader.builder(); }

    /** Loads a MoCo task by name with the default loader. */
    public static Task load(String name) { return defaultLoader().load(name); }

    /** Loads a MoCo task to be evaluated as another task type (see {@link DatasetLoader#load(String, TaskType)}). */
    public static Task load(String name, TaskType asType) { return defaultLoader().load(name, asType); }

    /** Every MoCo task name, in MoCo's order. */
    public static List<String> names() { return Catalog.names(); }

    /** What is known about every MoCo task. */
    public static List<DatasetInfo> all() { return Catalog.all(); }

    /** What is known about one task, if the name is a MoCo task. */
    public static Optional<DatasetInfo> info(String name) { return Catalog.find(name); }

    /** One record (shaped like an object of a MoCo data file) as an example of the given task type, with MoCo's field names. */
    public static io.mocoj.task.Example example(TaskType type, java.util.Map<String, ?> record) {
        return example(type, FieldMapping.MOCO, record);
    }

    /** One record as an example, with your field names. Errors are {@link DatasetFormatException}s naming the field. */
    public static io.mocoj.task.Example example(TaskType type, FieldMapping mapping, java.util.Map<String, ?> record) {
        return custom("item").type(type).mapping(mapping).fromRecords(List.of(), List.of(record)).test().get(0);
    }

    /** Starts loading your own data (a MoCo-format JSON file, a JSON Lines file or in-memory records). */
    public static CustomDataset custom(String name) { return new CustomDataset(name); }

    /** The agieval task with the default loader (see docs/datasets.md). */
    public static Task agieval() { return load("agieval"); }

    /** The agieval_tiny task with the default loader (see docs/datasets.md). */
    public static Task agievalTiny() { return load("agieval_tiny"); }

    /** The arc_challenge task with the default loader (see docs/datasets.md). */
    public static Task arcChallenge() { return load("arc_challenge"); }

    /** The mmlu_redux task with the default loader (see docs/datasets.md). */
    public static Task mmluRedux() { return load("mmlu_redux"); }

    /** The blend task with the default loader (see docs/datasets.md). */
    public static Task blend() { return load("blend"); }

    /** The truthfulqa task with the default loader (see docs/datasets.md). */
    public static Task truthfulqa() { return load("truthfulqa"); }

    /** The sciencemeter task with the default loader (see docs/datasets.md). */
    public static Task sciencemeter() { return load("sciencemeter"); }

    /** The kaleidoscope task with the default loader (see docs/datasets.md). */
    public static Task kaleidoscope() { return load("kaleidoscope"); }

    /** The culturalbench_hard task with the default loader (see docs/datasets.md). */
    public static Task culturalbenchHard() { return load("culturalbench_hard"); }

    /** The gpqa_diamond task with the default loader (see docs/datasets.md). */
    public static Task gpqaDiamond() { return load("gpqa_diamond"); }

    /** The gpqa_main task with the default loader (see docs/datasets.md). */
    public static Task gpqaMain() { return load("gpqa_main"); }

    /** The gpqa_extended task with the default loader (see docs/datasets.md). */
    public static Task gpqaExtended() { return load("gpqa_extended"); }

    /** The medmcqa task with the default loader (see docs/datasets.md). */
    public static Task medmcqa() { return load("medmcqa"); }

    /** The medqa task with the default loader (see docs/datasets.md). */
    public static Task medqa() { return load("medqa"); }

    /** The tablemwp_multiple_choice task with the default loader (see docs/datasets.md). */
    public static Task tablemwpMultipleChoice() { return load("tablemwp_multiple_choice"); }

    /** The bbh task with the default loader (see docs/datasets.md). */
    public static Task bbh() { return load("bbh"); }

    /** The gsm8k task with the default loader (see docs/datasets.md). */
    public static Task gsm8k() { return load("gsm8k"); }

    /** The math task with the default loader (see docs/datasets.md). */
    public static Task math() { return load("math"); }

    /** The theoremqa task with the default loader (see docs/datasets.md). */
    public static Task theoremqa() { return load("theoremqa"); }

    /** The sciriff task with the default loader (see docs/datasets.md). */
    public static Task sciriff() { return load("sciriff"); }

    /** The culturebench task with the default loader (see docs/datasets.md). */
    public static Task culturebench() { return load("culturebench"); }

    /** The pubmedqa task with the default loader (see docs/datasets.md). */
    public static Task pubmedqa() { return load("pubmedqa"); }

    /** The tablemwp_free_text task with the default loader (see docs/datasets.md). */
    public static Task tablemwpFreeText() { return load("tablemwp_free_text"); }

    /** The popqa task with the default loader (see docs/datasets.md). */
    public static Task popqa() { return load("popqa"); }

    /** The wikidyk task with the default loader (see docs/datasets.md). */
    public static Task wikidyk() { return load("wikidyk"); }

    /** The coconot task with the default loader (see docs/datasets.md). */
    public static Task coconot() { return load("coconot"); }

    /** The humaneval task with the default loader (see docs/datasets.md). */
    public static Task humaneval() { return load("humaneval"); }

    /** The mbpp task with the default loader (see docs/datasets.md). */
    public static Task mbpp() { return load("mbpp"); }

    /** The alpacaeval task with the default loader (see docs/datasets.md). */
    public static Task alpacaeval() { return load("alpacaeval"); }

    /** The human_interest task with the default loader (see docs/datasets.md). */
    public static Task humanInterest() { return load("human_interest"); }

    /** The human_interest_tiny task with the default loader (see docs/datasets.md). */
    public static Task humanInterestTiny() { return load("human_interest_tiny"); }

    /** The infinite_chat_diversity task with the default loader (see docs/datasets.md). */
    public static Task infiniteChatDiversity() { return load("infinite_chat_diversity"); }

    /** The wildchat task with the default loader (see docs/datasets.md). */
    public static Task wildchat() { return load("wildchat"); }

    /** The infinite_chat_open task with the default loader (see docs/datasets.md). */
    public static Task infiniteChatOpen() { return load("infinite_chat_open"); }

    /** The apex_shortlist task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task apexShortlist() { return load("apex_shortlist"); }

    /** The bixbench task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task bixbench() { return load("bixbench"); }

    /** The chembench task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task chembench() { return load("chembench"); }

    /** The communitybench task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task communitybench() { return load("communitybench"); }

    /** The ifeval task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task ifeval() { return load("ifeval"); }

    /** The kernelbench task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task kernelbench() { return load("kernelbench"); }

    /** The lab_bench task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task labBench() { return load("lab_bench"); }

    /** The mixeval task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task mixeval() { return load("mixeval"); }

    /** The mmluprox task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task mmluprox() { return load("mmluprox"); }

    /** The scitarc task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task scitarc() { return load("scitarc"); }

    /** The smdd task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task smdd() { return load("smdd"); }

    /** The value_drifts task (a newer MoCo benchmark) with the default loader (see docs/datasets.md). */
    public static Task valueDrifts() { return load("value_drifts"); }
}
