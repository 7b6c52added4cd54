package io.mocoj.datasets.internal;

import io.mocoj.datasets.DatasetInfo;
import io.mocoj.task.TaskType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.mocoj.task.TaskType.CODING;
import static io.mocoj.task.TaskType.EXACT_MATCH;
import static io.mocoj.task.TaskType.F1_MATCH;
import static io.mocoj.task.TaskType.GENERAL_VERIFIER;
import static io.mocoj.task.TaskType.IFEVAL;
import static io.mocoj.task.TaskType.KERNEL_BENCH;
import static io.mocoj.task.TaskType.SMDD;
import static io.mocoj.task.TaskType.GENERATION_DIVERSITY;
import static io.mocoj.task.TaskType.MULTIPLE_CHOICE;
import static io.mocoj.task.TaskType.NONCOMPLIANCE;
import static io.mocoj.task.TaskType.REWARD_MODEL;

/**
 * The 36 MoCo tasks of {@link #PINNED_COMMIT} and MoCo's 12 newer ones: type, fields, sizes, the commit each
 * file is published at and its SHA-256 where pinned. Sizes and hashes were taken from the files.
 */
public final class Catalog {
    private Catalog() {}

    /** Commit of github.com/BunsenFeng/model_collaboration whose data files the hashes identify. */
    public static final String PINNED_COMMIT = DatasetInfo.PINNED_COMMIT;

    /** Where files of MoCo's repository are served; {@code <commit>/model_collaboration/data/<task>.json} is appended. */
    public static final String RAW_BASE = "https://raw.githubusercontent.com/BunsenFeng/model_collaboration/";

    /** Where the published files are served; {@code <task>.json} is appended. */
    public static final String DEFAULT_BASE_URL = "https://raw.githubusercontent.com/BunsenFeng/model_collaboration/"
            + PINNED_COMMIT + "/model_collaboration/data/";

    /** Tasks whose {@code output} is a string holding a JSON list of accepted answers. */
    private static final Set<String> ANSWER_LIST_IN_STRING = Set.of("popqa");

    /** Names a published file may carry instead of its task name (known quirks, accepted silently). */
    private static final Map<String, Set<String>> NAME_ALIASES = Map.of("culturebench", Set.of("culturebench_hard"));

    private static final List<String> MC = List.of("id", "question", "choices", "answer");
    private static final List<String> EM = List.of("id", "input", "output");

    private static final Map<String, DatasetInfo> BY_NAME;

    static {
        Map<String, DatasetInfo> m = new LinkedHashMap<>();
        add(m, "agieval", MULTIPLE_CHOICE, plus(MC, "domain"),
                "Standardised-exam questions (LSAT, SAT, GRE, Gaokao, law and civil-service exams) across several domains.",
                "Zhong et al., 2023. AGIEval: A Human-Centric Benchmark for Evaluating Foundation Models. arXiv:2304.06364.",
                1156, 1156, "1864b93a8e88b5bcd651936d763082ea6d00a92d56fc87f48384d5d6e8ec1f37");
        add(m, "agieval_tiny", MULTIPLE_CHOICE, plus(MC, "domain"),
                "A 40/40 subset of agieval for quick runs and smoke tests.",
                "Zhong et al., 2023. AGIEval: A Human-Centric Benchmark for Evaluating Foundation Models. arXiv:2304.06364.",
                40, 40, "1aa35f074f3f3ca75a97a8b6be41a4896fe5138cd4ca0e613eb82c0e12f9a4a6");
        add(m, "arc_challenge", MULTIPLE_CHOICE, MC,
                "Grade-school science questions that simple retrieval and co-occurrence methods get wrong (ARC Challenge set).",
                "Clark et al., 2018. Think you have Solved Question Answering? Try ARC, the AI2 Reasoning Challenge. arXiv:1803.05457.",
                299, 1172, "9b67593b3d4f904b6dfa955bb1bc31a321536ddad28ef1faa249c56d21ef70fa");
        add(m, "mmlu_redux", MULTIPLE_CHOICE, MC,
                "Re-annotated MMLU questions with labelling errors corrected.",
                "Gema et al., 2024. Are We Done with MMLU? arXiv:2406.04127 (NAACL 2025).",
                1000, 1000, "d32f9a4ae695b3826e628d371f1b663621e72a95275339645c0ed01ebfedaeb6");
        add(m, "blend", MULTIPLE_CHOICE, MC,
                "Everyday cultural knowledge about many countries and regions (BLEnD).",
                "Myung et al., 2024. BLEnD: A Benchmark for LLMs on Everyday Knowledge in Diverse Cultures and Languages. arXiv:2406.09948 (NeurIPS 2024 Datasets and Benchmarks).",
                1000, 1000, "113b34026b41252749d2fa3350ef8afdbfa94b6eeec12157237fda61bea54d6a");
        add(m, "truthfulqa", MULTIPLE_CHOICE, MC,
                "Questions crafted so that imitating common human misconceptions gives the wrong answer.",
                "Lin, Hilton and Evans, 2022. TruthfulQA: Measuring How Models Mimic Human Falsehoods. ACL 2022. arXiv:2109.07958.",
                200, 617, "03652c961453ca91eb44cbcd2b42853749752687b24928efdc3eb9a7d0bbc089");
        add(m, "sciencemeter", MULTIPLE_CHOICE, plus(MC, "domain"),
                "Whether a claim is supported or refuted by a scientific paper, across research domains (knowledge-update tracking).",
                "Wang et al., 2025. ScienceMeter: Tracking Scientific Knowledge Updates in Language Models. arXiv:2505.24302.",
                1000, 1000, "531852db2cd1f19583b36e56290f7a36976b614a623f05ec3b596f8987420186");
        add(m, "kaleidoscope", MULTIPLE_CHOICE, MC,
                "Whether a value, right or duty supports or opposes a situation (Value Kaleidoscope / ValuePrism).",
                "Sorensen et al., 2024. Value Kaleidoscope: Engaging AI with Pluralistic Human Values, Rights, and Duties. AAAI 2024. arXiv:2309.00779.",
                1000, 1000, "4b759292ad4bf8e1450cb5f0133a9919e2b4be905e11abf76d7722c345105e96");
        add(m, "culturalbench_hard", MULTIPLE_CHOICE, plus(MC, "country"),
                "Cultural-knowledge questions about many countries, four options each (CulturalBench).",
                "Chiu et al., 2024. CulturalBench: a Robust, Diverse and Challenging Benchmark on Measuring the (Lack of) Cultural Knowledge of LLMs. arXiv:2410.02677.",
                613, 613, "1430f15563b44c9779c9a8b79034dc9ca5cb0b12ae434d3fcf6dba3e3a338f23");
        add(m, "gpqa_diamond", MULTIPLE_CHOICE, MC,
                "Graduate-level biology, physics and chemistry questions written to resist web search (GPQA Diamond subset).",
                "Rein et al., 2023. GPQA: A Graduate-Level Google-Proof Q&A Benchmark. arXiv:2311.12022 (COLM 2024).",
                99, 99, "ae0b25ddee7ba4ed9c2cd219176f06419d6b925fabdd5ebaf12bf9c9a7803ffd");
        add(m, "gpqa_main", MULTIPLE_CHOICE, MC,
                "Graduate-level biology, physics and chemistry questions written to resist web search (GPQA main set).",
                "Rein et al., 2023. GPQA: A Graduate-Level Google-Proof Q&A Benchmark. arXiv:2311.12022 (COLM 2024).",
                224, 224, "4878639b8b1304ce74713e28eedaf9079cbe566cb67d252fda34fd84c24a4ab0");
        add(m, "gpqa_extended", MULTIPLE_CHOICE, MC,
                "Graduate-level biology, physics and chemistry questions written to resist web search (GPQA extended set).",
                "Rein et al., 2023. GPQA: A Graduate-Level Google-Proof Q&A Benchmark. arXiv:2311.12022 (COLM 2024).",
                273, 273, "4a6f14bd28f69483229e0c01bfe1f0f678a7a6ff481da8893c39d9bfcf2151dc");
        add(m, "medmcqa", MULTIPLE_CHOICE, MC,
                "Indian medical entrance exam (AIIMS, NEET PG) questions over many medical subjects.",
                "Pal, Umapathi and Sankarasubbu, 2022. MedMCQA: A Large-scale Multi-Subject Multi-Choice Dataset for Medical domain Question Answering. CHIL 2022. arXiv:2203.14371.",
                2091, 2092, "0712d501432b8e507c10704fc021ca3c1c9d5588bd1ae7c9adb6d856d40f3b7f");
        add(m, "medqa", MULTIPLE_CHOICE, MC,
                "Medical licensing exam (USMLE-style) questions.",
                "Jin et al., 2021. What Disease does this Patient Have? A Large-scale Open Domain Question Answering Dataset from Medical Exams. Applied Sciences 11(14). arXiv:2009.13081.",
                636, 637, "8d657a29b6d40dabfdfc4d8cd32dd995068a8600e39e455fd9552c4e9dd18104");
        add(m, "tablemwp_multiple_choice", MULTIPLE_CHOICE, MC,
                "Math word problems over a small text table, multiple-choice variant (TabMWP).",
                "Lu et al., 2023. Dynamic Prompt Learning via Policy Gradient for Semi-structured Mathematical Reasoning. ICLR 2023. arXiv:2209.14610.",
                124, 125, "00b2e0a997e09364da8148630ba707bfe8831ef5d563f52bcbf46b7b28333f37");
        add(m, "bbh", EXACT_MATCH, plus(EM, "domain"),
                "BIG-Bench Hard: the BIG-Bench tasks on which earlier models trailed human raters, needing multi-step reasoning.",
                "Suzgun et al., 2023. Challenging BIG-Bench Tasks and Whether Chain-of-Thought Can Solve Them. Findings of ACL 2023. arXiv:2210.09261.",
                1000, 1000, "ee44d7bb83f25998ba31337db9ceb3a1699b3508e3ec8b590d048c843bbd45a6");
        add(m, "gsm8k", EXACT_MATCH, plus(EM, "domain"),
                "Grade-school math word problems with a numeric final answer.",
                "Cobbe et al., 2021. Training Verifiers to Solve Math Word Problems. arXiv:2110.14168.",
                200, 1000, "fa803a5cd0c0d615f705a5641a8f77dbffbecc610392402e99e70358db29d798");
        add(m, "math", EXACT_MATCH, EM,
                "Competition mathematics problems (algebra, geometry, number theory, ...) with a final answer in LaTeX.",
                "Hendrycks et al., 2021. Measuring Mathematical Problem Solving With the MATH Dataset. NeurIPS 2021 Datasets and Benchmarks. arXiv:2103.03874.",
                956, 956, "4360c8bac1ede11cdd03f97ed56a2937ac65bd6b00e1eddec21db461e5a9847b");
        add(m, "theoremqa", EXACT_MATCH, plus(EM, "answer_type"),
                "Questions that need a named theorem from mathematics, physics, EE/CS or finance to solve.",
                "Chen et al., 2023. TheoremQA: A Theorem-driven Question Answering Dataset. EMNLP 2023. arXiv:2305.12524.",
                400, 400, "7bf19c9eb0d9988db58870fe29c43e7e473117dc6a16efe0e1aa4f3af397a19c");
        add(m, "sciriff", EXACT_MATCH, EM,
                "Instructions over scientific literature (extraction, claim verification, question answering) with short answers.",
                "Wadden et al., 2024. SciRIFF: A Resource to Enhance Language Model Instruction-Following over Scientific Literature. arXiv:2406.07835.",
                114, 139, "8cd3d6ed2d27f3b20a391b902dde90a1c85022488b2f8c0cd89d4ac4df68e457");
        add(m, "culturebench", EXACT_MATCH, List.of("id", "question_id", "input", "output", "country"),
                "CulturalBench-Hard as true/false judgements: each option of a question becomes one item; a question counts only if all its items are right.",
                "Chiu et al., 2024. CulturalBench: a Robust, Diverse and Challenging Benchmark on Measuring the (Lack of) Cultural Knowledge of LLMs. arXiv:2410.02677.",
                2454, 2454, "43c1fb775ed3bbddc2dfd1f5d4bcca84b82799d9186f40a751293ddafee4a73b");
        add(m, "pubmedqa", EXACT_MATCH, List.of("id", "pubid", "input", "output"),
                "Yes/no/maybe questions about PubMed abstracts.",
                "Jin et al., 2019. PubMedQA: A Dataset for Biomedical Research Question Answering. EMNLP-IJCNLP 2019. arXiv:1909.06146.",
                500, 500, "04d800d6b826efaef962bbe817b55df29d8b5086920ea790a2db7b7ce7fbf2a9");
        add(m, "tablemwp_free_text", EXACT_MATCH, EM,
                "Math word problems over a small text table, free-text answer variant (TabMWP).",
                "Lu et al., 2023. Dynamic Prompt Learning via Policy Gradient for Semi-structured Mathematical Reasoning. ICLR 2023. arXiv:2209.14610.",
                375, 376, "83c9c52741a4706bacff34a866e44314cd77ccb2bebcd9f37647aa9da8d7ff7e");
        add(m, "popqa", F1_MATCH, List.of("id", "input", "output", "s_pop", "o_pop"),
                "Factual questions about entities of widely varying popularity; several surface forms of the answer are accepted.",
                "Mallen et al., 2023. When Not to Trust Language Models: Investigating Effectiveness of Parametric and Non-Parametric Memories. ACL 2023. arXiv:2212.10511.",
                1000, 1000, "5f6cc194178b8cc4af39412aa051c1a5613d35bd1f5eae02a4aecb847735d089");
        add(m, "wikidyk", F1_MATCH, plus(EM, "year", "fact"),
                "Questions built from recent Wikipedia \"Did you know...\" facts.",
                "Zhang et al., 2025. Bidirectional LMs are Better Knowledge Memorizers? A Benchmark for Real-world Knowledge Injection. arXiv:2505.12306.",
                1000, 765, "7b7d6d8ffbc7cc2e3736de6d8736560a44bd5552915f5e12cb5ef8fb12ca44e5");
        add(m, "coconot", NONCOMPLIANCE, List.of("id", "input", "category"),
                "Requests a model should decline or question (false premises, subjective, unknowable, unsafe, incomplete ...).",
                "Brahman et al., 2024. The Art of Saying No: Contextual Noncompliance in Language Models. NeurIPS 2024 Datasets and Benchmarks. arXiv:2407.12043.",
                1000, 1000, "7b021e1d847f8f5c42515ce79be1f97ee1f644c16a89b6d28001f0b6e3cac6ef");
        add(m, "humaneval", CODING, List.of("id", "input", "test", "language"),
                "Python functions to complete from a signature and docstring, checked by unit tests.",
                "Chen et al., 2021. Evaluating Large Language Models Trained on Code. arXiv:2107.03374.",
                50, 114, "05d9bf1acd25f37561454b19a18ce8620236ad8c622ded27b3bea73a7b0d657e");
        add(m, "mbpp", CODING, List.of("id", "input", "test", "language"),
                "Short entry-level Python programming problems checked by assertions.",
                "Austin et al., 2021. Program Synthesis with Large Language Models. arXiv:2108.07732.",
                487, 487, "f09e1c079e57a1cd5deb0482c2946119ea3d00c7a3c096f2b6bb252efc2e4c7b");
        add(m, "alpacaeval", REWARD_MODEL, EM,
                "General instruction-following prompts (AlpacaEval set) with a reference response; outputs are scored by a reward model.",
                "Dubois et al., 2023. AlpacaFarm: A Simulation Framework for Methods that Learn from Human Feedback. NeurIPS 2023. arXiv:2305.14387.",
                2000, 1000, "d0520ac0040c410c0d54446fe541d3f9b76f03ae9a562006c24695b867e9a53e");
        add(m, "human_interest", REWARD_MODEL, EM,
                "Open questions on many human-interest topics with a reference response; outputs are scored by a reward model.",
                "Feng et al., 2025. Model Swarms: Collaborative Search to Adapt LLM Experts via Swarm Intelligence. arXiv:2410.11163.",
                400, 400, "ccd78bc85644a2562d87cec75e4e056c9c257ba86ee0fd8009e83e850f2cf293");
        add(m, "human_interest_tiny", REWARD_MODEL, EM,
                "A small subset of human_interest for quick runs.",
                "Feng et al., 2025. Model Swarms: Collaborative Search to Adapt LLM Experts via Swarm Intelligence. arXiv:2410.11163.",
                58, 112, "c95b5e1cda1f615a2f63af3b841c7b6b15d278d4f466ef01fa534004eb00e4db");
        add(m, "infinite_chat_diversity", GENERATION_DIVERSITY, plus(EM, "reference"),
                "Open-ended prompts with responses of existing models as references; scores how far an output is from them.",
                "Jiang et al., 2025. Artificial Hivemind: The Open-Ended Homogeneity of Language Models (and Beyond). arXiv:2510.22954.",
                26, 25, "98c87c48c39741ae9c5f8fba76e9e0d2f6924225b5af6d86f9a12250b61f70b2");
        add(m, "wildchat", REWARD_MODEL, List.of("id", "input"),
                "Real user requests to chat assistants (WildChat); outputs are scored by a reward model. No file is published at the pinned commit.",
                "Zhao et al., 2024. WildChat: 1M ChatGPT Interaction Logs in the Wild. ICLR 2024. arXiv:2405.01470.",
                -1, -1, "");
        add(m, "infinite_chat_open", REWARD_MODEL, List.of("id", "input"),
                "Open-ended user queries from Infinity-Chat; outputs are scored by a reward model. No file is published at the pinned commit.",
                "Jiang et al., 2025. Artificial Hivemind: The Open-Ended Homogeneity of Language Models (and Beyond). arXiv:2510.22954.",
                -1, -1, "");
        // MoCo's newer benchmarks (published after the pinned commit), each at the commit that published it.
        // Four files were copied with SHA256SUMS (../shared/moco-data/newer); the other eight have no pinned hash yet.
        newer(m, "apex_shortlist", GENERAL_VERIFIER, List.of("id", "input", "output", "domain"),
                "Recent olympiad-style competition mathematics problems with a final expression to verify (APEX shortlist).",
                "Balunovic et al., 2025. MathArena: Evaluating LLMs on Uncontaminated Math Competitions. arXiv:2505.23281.",
                7, 40, "5a1372e75f1d110222862d46ea0e48f530df6b39177730173372ae231c9287d3", "7f24ca6aa4c0b7fae71ae1cca3dc5aa1bd9bb01c");
        newer(m, "bixbench", MULTIPLE_CHOICE, plus(MC, "categories", "eval_mode"),
                "Bioinformatics data-analysis questions from computational biology scenarios, as multiple choice (BixBench).",
                "Mitchener et al., 2025. BixBench: a Comprehensive Benchmark for LLM-based Agents in Computational Biology. arXiv:2503.00096.",
                102, 103, "e9a8d095c23aae2ebbb5d86ab87a16ca134c68f4fae49859f977bd4b48b2a4ef", "b1b52f0bc0f8d8c4518bf529a81ee10ecc4c8b4d");
        newer(m, "chembench", MULTIPLE_CHOICE, plus(MC, "subfield"),
                "Chemistry knowledge and reasoning questions across subfields, including molecule preference (ChemBench); the file names no task type.",
                "Mirza et al., 2025. A framework for evaluating the chemical knowledge and reasoning abilities of large language models against the expertise of chemists. Nature Chemistry. arXiv:2404.01475.",
                -1, -1, "", "041de5238a31143c72e8e8533fa375e52e65f59d");
        newer(m, "communitybench", MULTIPLE_CHOICE, MC,
                "Questions about the values and preferences of diverse communities, as multiple choice (CommunityBench).",
                "CommunityBench, 2025. As packaged by MoCo (github BunsenFeng/model_collaboration, commit 91116ed1); the file does not name the introducing paper.",
                -1, -1, "", "91116ed14c8eed86a7df3d23c9a8c546e4da11ae");
        newer(m, "ifeval", IFEVAL, List.of("id", "input", "instruction_id_list", "kwargs"),
                "Prompts with verifiable instructions (word counts, formats, keywords, case, language); the score is the share followed (IFEval).",
                "Zhou et al., 2023. Instruction-Following Evaluation for Large Language Models. arXiv:2311.07911.",
                250, 250, "deaa5351ae1789680cd35e0cec9fdef6ad64f7cac3eec70547b78c2b3627761d", "ada56a476bec7f6273dc91b50b69ba0fc3bafee7");
        newer(m, "kernelbench", KERNEL_BENCH, List.of("id", "input"),
                "PyTorch architectures to re-implement with custom CUDA kernels; scored on compiling, correctness and speed-up (KernelBench). Needs a CUDA GPU.",
                "Ouyang et al., 2025. KernelBench: Can LLMs Write Efficient GPU Kernels? arXiv:2502.10517.",
                -1, -1, "", "6d61fe3c0e6814e5288e3c849a68c7abfd0a0192");
        newer(m, "lab_bench", MULTIPLE_CHOICE, MC,
                "Practical biology research tasks (literature, protocols, sequences, figures) as multiple choice (LAB-Bench).",
                "Laurent et al., 2024. LAB-Bench: Measuring Capabilities of Language Models for Biology Research. arXiv:2407.10362.",
                -1, -1, "", "6fddf8549ed1014ea75f8537b9ebb0cfaa062d5d");
        newer(m, "mixeval", MULTIPLE_CHOICE, MC,
                "Real-world user queries matched to ground-truth benchmark questions, multiple-choice part (MixEval).",
                "Ni et al., 2024. MixEval: Deriving Wisdom of the Crowd from LLM Benchmark Mixtures. NeurIPS 2024. arXiv:2406.06565.",
                -1, -1, "", "6d61fe3c0e6814e5288e3c849a68c7abfd0a0192");
        newer(m, "mmluprox", MULTIPLE_CHOICE, plus(MC, "language", "category"),
                "MMLU-Pro questions translated into many languages, up to ten options A-J (MMLU-ProX).",
                "Xuan et al., 2025. MMLU-ProX: A Multilingual Benchmark for Advanced Large Language Model Evaluation. arXiv:2503.10497.",
                -1, -1, "", "630f561cc347d398bdd3d381d89c5019d86a6ae2");
        newer(m, "scitarc", GENERAL_VERIFIER, EM,
                "Scientific reasoning questions with free-text reference answers checked by a verifier (SciTaRC).",
                "SciTaRC, 2025. As packaged by MoCo (github BunsenFeng/model_collaboration, commit 367a630a); the file does not name the introducing paper.",
                -1, -1, "", "367a630a83e834465ce097c81ce525bc94a59ffa");
        newer(m, "smdd", SMDD, List.of("id", "subtype", "input", "target_name", "train_actives", "train_decoys", "hidden_actives",
                        "hidden_decoys", "reference_smiles", "baseline_values", "objectives", "hold_constant"),
                "Small-molecule drug design: RDKit pharmacophore functions checked on hidden actives and decoys, and lead optimisation of a reference SMILES. Needs Python with RDKit.",
                "Small-molecule drug design tasks, 2025. As packaged by MoCo (github BunsenFeng/model_collaboration, commit 903b740b), with pharmacophore items over active/decoy sets and ADMET lead-optimisation items.",
                -1, -1, "", "903b740b63e875908a882e785aa7110d58dcb56a");
        newer(m, "value_drifts", REWARD_MODEL, List.of("id", "input", "output", "topic"),
                "Value-laden advice questions across topics (religion, family, work ...); outputs are scored by a reward model.",
                "Value Drifts, 2025. As packaged by MoCo (github BunsenFeng/model_collaboration, commit 53b5fd66); the file does not name the introducing paper.",
                275, 275, "3fdcbadcb012edb49d992301871c4dca1805380a0ec7e999160564a6ba013071", "53b5fd660e3ab799ef950e898ac12e50c3085297");
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, DatasetInfo> m, String name, TaskType type, List<String> fields, String description,
                            String citation, int dev, int test, String sha) {
        m.put(name, new DatasetInfo(name, type, fields, description, citation, dev, test, sha));
    }

    private static void newer(Map<String, DatasetInfo> m, String name, TaskType type, List<String> fields, String description,
                              String citation, int dev, int test, String sha, String commit) {
        m.put(name, new DatasetInfo(name, type, fields, description, citation, dev, test, sha, commit, DatasetInfo.needsOf(type)));
    }

    /** The URL of a published task's file at its commit. */
    public static String urlOf(DatasetInfo info) {
        return RAW_BASE + info.commit() + "/model_collaboration/data/" + info.fileName();
    }

    private static List<String> plus(List<String> base, String... more) {
        var l = new java.util.ArrayList<>(base);
        l.addAll(List.of(more));
        return List.copyOf(l);
    }

    /** All tasks in MoCo's order. */
    public static List<DatasetInfo> all() { return List.copyOf(BY_NAME.values()); }

    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }

    public static Optional<DatasetInfo> find(String name) { return Optional.ofNullable(BY_NAME.get(name)); }

    /** {@code " (did you mean 'x'?)"} for a name close to a known task, else "". */
    public static String didYouMean(String name) {
        return io.mocoj.method.Hyperparameters.closest(name, names()).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    public static boolean answerListInString(String name) { return ANSWER_LIST_IN_STRING.contains(name); }

    /** Whether a file of task {@code task} may carry {@code nameInFile} without a warning. */
    public static boolean acceptsNameInFile(String task, String nameInFile) {
        return task.equals(nameInFile) || NAME_ALIASES.getOrDefault(task, Set.of()).contains(nameInFile);
    }
}
