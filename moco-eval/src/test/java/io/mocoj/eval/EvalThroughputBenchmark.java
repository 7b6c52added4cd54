package io.mocoj.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of the evaluators (a benchmark program, not a test). Scores 10,000 multiple-choice
 * and 10,000 exact-match outputs built from the shared MoCo data (arc_challenge, mmlu_redux,
 * gsm8k, bbh, math) with realistic response shapes, in both match modes, and runs the coding
 * sandbox on hand-written mbpp solutions. Needs the shared data folder (-Dmocoj.shared.data).
 *
 * <pre>
 * mvn -q -o -pl moco-eval -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp moco-eval/target/test-classes:moco-eval/target/classes:$(cat moco-eval/target/cp.txt) \
 *      -Dmocoj.shared.data=../shared/moco-data io.mocoj.eval.EvalThroughputBenchmark
 * </pre>
 */
public final class EvalThroughputBenchmark {
    private static final int N = 10_000;
    private static final int ROUNDS = 5;

    public static void main(String[] args) {
        if (SharedData.folder().isEmpty()) {
            System.err.println("shared MoCo data not found; pass -Dmocoj.shared.data=../shared/moco-data (the shared folder beside the repository)");
            System.exit(2);
        }
        SplittableRandom rng = new SplittableRandom(2026);
        List<Example> mcq = new ArrayList<>();
        for (String name : List.of("arc_challenge", "mmlu_redux")) {
            for (JsonNode item : SharedData.task(name).orElseThrow().get("test")) {
                Map<String, String> choices = new LinkedHashMap<>();
                item.get("choices").fields().forEachRemaining(e -> choices.put(e.getKey(), e.getValue().asText()));
                mcq.add(Example.multipleChoice(item.get("id").asText(), item.get("question").asText(), choices, item.get("answer").asText()));
            }
        }
        List<Example> em = new ArrayList<>();
        for (String name : List.of("gsm8k", "bbh", "math")) {
            for (JsonNode item : SharedData.task(name).orElseThrow().get("test")) {
                em.add(Example.freeText(item.get("id").asText(), item.get("input").asText(), item.get("output").asText()));
            }
        }
        List<Example> mcqExamples = new ArrayList<>();
        List<String> mcqResponses = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Example e = mcq.get(rng.nextInt(mcq.size()));
            mcqExamples.add(e);
            mcqResponses.add(mcqResponse(e, rng));
        }
        List<Example> emExamples = new ArrayList<>();
        List<String> emResponses = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Example e = em.get(rng.nextInt(em.size()));
            emExamples.add(e);
            emResponses.add(emResponse(e, rng));
        }
        System.out.printf("machine: %d processors, java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        report("multiple_choice compatible", Evaluators.multipleChoice(), mcqExamples, mcqResponses);
        report("multiple_choice strict    ", Evaluators.strictMultipleChoice(), mcqExamples, mcqResponses);
        report("exact_match compatible    ", Evaluators.exactMatch(), emExamples, emResponses);
        report("exact_match strict        ", Evaluators.strictExactMatch(), emExamples, emResponses);
        report("f1_match compatible       ", Evaluators.f1Match(), emExamples, emResponses);

        List<Example> codeExamples = new ArrayList<>();
        List<String> codeResponses = new ArrayList<>();
        for (JsonNode item : SharedData.task("mbpp").orElseThrow().get("test")) {
            String id = item.get("id").asText();
            if (MbppSolutions.BY_ID.containsKey(id)) {
                codeExamples.add(new Example(id, item.get("input").asText(), Map.of(), List.of(), Map.of("test", item.get("test").asText())));
                codeResponses.add("```python\n" + MbppSolutions.BY_ID.get(id) + "```");
            }
        }
        List<Example> codeRuns = new ArrayList<>();
        List<String> codeRunResponses = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            codeRuns.addAll(codeExamples);
            codeRunResponses.addAll(codeResponses);
        }
        for (int parallel : new int[] {1, 2, 4}) {
            CodeSandbox sandbox = CodeSandbox.builder().maxParallel(parallel).build();
            CodingEvaluator coding = Evaluators.coding(sandbox);
            coding.scoreAll(codeExamples, codeResponses);
            long t0 = System.nanoTime();
            List<Score> scores = coding.scoreAll(codeRuns, codeRunResponses);
            double secs = (System.nanoTime() - t0) / 1e9;
            long passed = scores.stream().filter(s -> s.value() == 1).count();
            System.out.printf("coding sandbox maxParallel=%d (%s): %d runs in %.2f s = %.1f runs/s, %.0f ms/run; passed %d/%d%n",
                    parallel, sandbox.namespacesAvailable() ? "namespaces" : "limits only", codeRuns.size(), secs,
                    codeRuns.size() / secs, secs * 1000 / codeRuns.size() * parallel, passed, codeRuns.size());
            sandbox.cleanUp();
        }
    }

    private static void report(String label, Evaluator evaluator, List<Example> examples, List<String> responses) {
        double[] rates = new double[ROUNDS];
        double mean = 0;
        evaluator.scoreAll(examples, responses); // warm-up
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            List<Score> scores = evaluator.scoreAll(examples, responses);
            long ns = System.nanoTime() - t0;
            rates[r] = examples.size() / (ns / 1e9);
            mean = scores.stream().mapToDouble(Score::value).average().orElse(0);
        }
        Arrays.sort(rates);
        System.out.printf("%s: %d outputs, median %.0f outputs/s (min %.0f, max %.0f) = %.1f us/output; mean score %.3f%n",
                label, examples.size(), rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1], 1e6 / rates[ROUNDS / 2], mean);
    }

    private static final String FILLER = "Let us reason step by step about each option and eliminate the ones that do not fit. ";

    private static String mcqResponse(Example e, SplittableRandom rng) {
        List<String> keys = new ArrayList<>(e.choices().keySet());
        int pick = rng.nextInt(keys.size());
        String letter = String.valueOf((char) ('A' + pick));
        String text = e.choices().get(keys.get(pick));
        return switch (rng.nextInt(5)) {
            case 0 -> letter;
            case 1 -> letter + ") " + text;
            case 2 -> FILLER.repeat(1 + rng.nextInt(6)) + "Therefore the answer is (" + letter + ").";
            case 3 -> FILLER.repeat(1 + rng.nextInt(6)) + "The correct option is " + text + ".";
            default -> FILLER.repeat(2) + "I am not sure about this question.";
        };
    }

    private static String emResponse(Example e, SplittableRandom rng) {
        String gold = e.answer();
        String wrong = gold + "0";
        String ans = rng.nextBoolean() ? gold : wrong;
        String reasoning = "First, compute the intermediate quantities carefully. ".repeat(1 + rng.nextInt(8));
        return switch (rng.nextInt(4)) {
            case 0 -> reasoning + "\n\\box{" + ans + "}";
            case 1 -> reasoning + "\nFinal Answer: " + ans + "\n";
            case 2 -> reasoning + " So the answer is " + ans + ".";
            default -> ans;
        };
    }

}
