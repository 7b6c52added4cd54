package io.mocoj.methods.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected accuracies of the text-level team methods on 4-option questions, computed by exact
 * enumeration over the simulated-model rules of docs/simulated-models.md (written from those
 * rules, not from the method code). Answers are 0..3 with 0 the gold option; a model's own
 * answer is 0 with its accuracy p, else each wrong option with (1 − p)/3. Per-example decisions
 * (persuaded, aggregates correctly) are fixed for a model and example, as the docs say.
 */
final class TeamOdds {
    private TeamOdds() {}

    static final int OPTIONS = 4;

    /** P(own answer = a). */
    static double own(double p, int a) { return a == 0 ? p : (1 - p) / 3; }

    /** The most frequent answer of the list, the earliest listed among equally frequent ones. */
    static int plurality(List<Integer> listed) {
        int[] count = new int[OPTIONS];
        for (int a : listed) count[a]++;
        int best = listed.get(0);
        for (int a : listed) if (count[a] > count[best]) best = a;
        return best;
    }

    /** The aggregation rule: the gold answer if it is listed and the aggregator is "good" here, else the plurality. */
    static int aggregate(List<Integer> listed, boolean good) {
        return good && listed.contains(0) ? 0 : plurality(listed);
    }

    /** Calls {@code visit(answers, probability)} for every vector of own answers of models with accuracies {@code p}. */
    static void forEachAnswers(double[] p, java.util.function.ObjDoubleConsumer<int[]> visit) {
        int n = p.length;
        int total = (int) Math.pow(OPTIONS, n);
        for (int code = 0; code < total; code++) {
            int[] a = new int[n];
            int c = code;
            double prob = 1;
            for (int i = 0; i < n; i++) {
                a[i] = c % OPTIONS;
                c /= OPTIONS;
                prob *= own(p[i], a[i]);
            }
            visit.accept(a, prob);
        }
    }

    /** Calls {@code visit(flags, probability)} for every vector of independent per-model flags, flag i true with probability q[i]. */
    static void forEachFlags(double[] q, java.util.function.ObjDoubleConsumer<boolean[]> visit) {
        int n = q.length;
        for (int code = 0; code < (1 << n); code++) {
            boolean[] f = new boolean[n];
            double prob = 1;
            for (int i = 0; i < n; i++) {
                f[i] = (code >> i & 1) == 1;
                prob *= f[i] ? q[i] : 1 - q[i];
            }
            visit.accept(f, prob);
        }
    }

    /** Mixture-of-Agents: layer 1 own answers; each later layer every model aggregates the previous layer; the aggregator aggregates the last. */
    static double moa(double[] p, double[] aggregation, int rounds, int aggregator) {
        double[] total = {0};
        forEachAnswers(p, (own, pa) -> forEachFlags(aggregation, (good, pg) -> {
            List<Integer> layer = toList(own);
            for (int r = 2; r <= rounds; r++) {
                List<Integer> next = new ArrayList<>();
                for (int i = 0; i < p.length; i++) next.add(aggregate(layer, good[i]));
                layer = next;
            }
            if (aggregate(layer, good[aggregator]) == 0) total[0] += pa * pg;
        }));
        return total[0];
    }

    /**
     * Debate over a graph: a model with in-neighbours that is persuaded writes the plurality of
     * [its previous answer, its in-neighbours' previous answers in pool order]; one that is not
     * persuaded writes its own answer; one without in-neighbours keeps its answer.
     *
     * @param sees {@code sees[j]} = the in-neighbours of j in pool order
     * @return the answers after {@code rounds} rounds, per own-answer and flag vector, via {@code visit}
     */
    static void debate(double[] p, double[] persuade, int rounds, int[][] sees, java.util.function.ObjDoubleConsumer<List<Integer>> visit) {
        forEachAnswers(p, (own, pa) -> forEachFlags(persuade, (persuaded, pq) -> {
            List<Integer> answers = toList(own);
            for (int r = 2; r <= rounds; r++) {
                List<Integer> next = new ArrayList<>();
                for (int i = 0; i < p.length; i++) {
                    if (sees[i].length == 0) {
                        next.add(answers.get(i));
                    } else if (persuaded[i]) {
                        List<Integer> shown = new ArrayList<>();
                        shown.add(answers.get(i));
                        for (int j : sees[i]) shown.add(answers.get(j));
                        next.add(plurality(shown));
                    } else {
                        next.add(own[i]);
                    }
                }
                answers = next;
            }
            visit.accept(answers, pa * pq);
        }));
    }

    /** Multi-agent refine: complete-graph debate, then the summariser aggregates. */
    static double refine(double[] p, double[] persuade, int rounds, double summariserAggregation) {
        int n = p.length;
        int[][] all = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] others = new int[n - 1];
            for (int j = 0, k = 0; j < n; j++) if (j != i) others[k++] = j;
            all[i] = others;
        }
        double[] total = {0};
        debate(p, persuade, rounds, all, (answers, prob) -> {
            double good = summariserAggregation;
            total[0] += prob * (good * (aggregate(answers, true) == 0 ? 1 : 0) + (1 - good) * (aggregate(answers, false) == 0 ? 1 : 0));
        });
        return total[0];
    }

    /** Structure: debate over the graph; the output model's final answer. */
    static double structure(double[] p, double[] persuade, int rounds, int[][] sees, int output) {
        double[] total = {0};
        debate(p, persuade, rounds, sees, (answers, prob) -> { if (answers.get(output) == 0) total[0] += prob; });
        return total[0];
    }

    /**
     * Multi-agent feedback: per revision round a wrong model is fixed with probability
     * fix·(1 − Π(1 − critique of its reviewers)); a correct one stays; a wrong one keeps its
     * wrong option. Every other model reviews every model (feedback_count ≥ N − 1). Then the
     * summariser aggregates the final answers.
     */
    static double feedback(double[] p, double[] critique, double[] fix, int rounds, double summariserAggregation) {
        int n = p.length;
        double[] finalP = new double[n];
        for (int i = 0; i < n; i++) {
            double miss = 1;
            for (int j = 0; j < n; j++) if (j != i) miss *= 1 - critique[j];
            double stayWrong = Math.pow(1 - fix[i] * (1 - miss), rounds - 1);
            finalP[i] = 1 - (1 - p[i]) * stayWrong;
        }
        double[] total = {0};
        forEachAnswers(finalP, (answers, prob) -> {
            List<Integer> listed = toList(answers);
            total[0] += prob * (summariserAggregation * (aggregate(listed, true) == 0 ? 1 : 0)
                    + (1 - summariserAggregation) * (aggregate(listed, false) == 0 ? 1 : 0));
        });
        return total[0];
    }

    /** Knowledge card: P(answerer right) = p_b + (1 − p_b)·u·P(some paragraph in context is right). */
    static double knowledgeCard(double[] p, int answerer, double uptake, boolean excludeSelf) {
        double noneRight = 1;
        for (int j = 0; j < p.length; j++) if (!(excludeSelf && j == answerer)) noneRight *= 1 - p[j];
        return p[answerer] + (1 - p[answerer]) * uptake * (1 - noneRight);
    }

    /**
     * LLM-Blender: every pair (i &lt; j) is judged once with i as candidate A; the verdict depends
     * only on the two answers (identical pairs of answers give identical verdicts): with exactly
     * one correct, the correct one wins with probability judge, else each with 1/2. Wins order the
     * candidates (pool order among equal wins); the fuser aggregates the top k, best first.
     */
    static double blender(double[] p, double judge, int topK, double fuserAggregation) {
        int n = p.length;
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) pairs.add(new int[] {i, j});
        double[] total = {0};
        forEachAnswers(p, (a, pa) -> {
            // distinct (answer of A, answer of B) keys among the pairs, each with its own verdict
            Map<Integer, Integer> keyIndex = new HashMap<>();
            List<Double> aWins = new ArrayList<>();
            int[] pairKey = new int[pairs.size()];
            for (int k = 0; k < pairs.size(); k++) {
                int x = a[pairs.get(k)[0]], y = a[pairs.get(k)[1]];
                int key = x * OPTIONS + y;
                Integer idx = keyIndex.get(key);
                if (idx == null) {
                    idx = aWins.size();
                    keyIndex.put(key, idx);
                    boolean xr = x == 0, yr = y == 0;
                    aWins.add(xr != yr ? (xr ? judge : 1 - judge) : 0.5);
                }
                pairKey[k] = idx;
            }
            int keys = aWins.size();
            for (int code = 0; code < (1 << keys); code++) {
                double pv = 1;
                for (int k = 0; k < keys; k++) pv *= (code >> k & 1) == 1 ? aWins.get(k) : 1 - aWins.get(k);
                int[] wins = new int[n];
                for (int k = 0; k < pairs.size(); k++) {
                    boolean aWon = (code >> pairKey[k] & 1) == 1;
                    wins[aWon ? pairs.get(k)[0] : pairs.get(k)[1]]++;
                }
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < n; i++) order.add(i);
                order.sort((u, v) -> wins[u] != wins[v] ? Integer.compare(wins[v], wins[u]) : Integer.compare(u, v));
                List<Integer> top = new ArrayList<>();
                for (int t = 0; t < Math.min(topK, n); t++) top.add(a[order.get(t)]);
                double right = fuserAggregation * (aggregate(top, true) == 0 ? 1 : 0)
                        + (1 - fuserAggregation) * (aggregate(top, false) == 0 ? 1 : 0);
                total[0] += pa * pv * right;
            }
        });
        return total[0];
    }

    /**
     * SLM-MUX: each model's k samples are independent own answers; confidence = top count / k;
     * inside a model a tie picks uniformly among the leaders; across models the highest confidence
     * wins, ties to the first model of {@code priority}.
     */
    static double slmMux(double[] p, int k, List<Integer> priority) {
        int n = p.length;
        // per model: confidence count c (1..k) → [P(c and majority right), P(c)]
        List<double[][]> tables = new ArrayList<>();
        for (double pm : p) {
            double[][] t = new double[k + 1][2];
            int total = (int) Math.pow(OPTIONS, k);
            for (int code = 0; code < total; code++) {
                int[] count = new int[OPTIONS];
                int c = code;
                double prob = 1;
                for (int s = 0; s < k; s++) {
                    int a = c % OPTIONS;
                    c /= OPTIONS;
                    count[a]++;
                    prob *= own(pm, a);
                }
                int top = 0, leaders = 0;
                for (int x : count) top = Math.max(top, x);
                for (int x : count) if (x == top) leaders++;
                t[top][0] += prob * (count[0] == top ? 1.0 / leaders : 0);
                t[top][1] += prob;
            }
            tables.add(t);
        }
        double result = 0;
        int combos = (int) Math.pow(k, n);
        for (int code = 0; code < combos; code++) {
            int[] conf = new int[n];
            int c = code;
            for (int m = 0; m < n; m++) { conf[m] = 1 + c % k; c /= k; }
            int best = Integer.MIN_VALUE;
            for (int x : conf) best = Math.max(best, x);
            int winner = -1;
            for (int m : priority) if (conf[m] == best) { winner = m; break; }
            double prob = 1;
            for (int m = 0; m < n; m++) prob *= m == winner ? tables.get(m)[conf[m]][0] : tables.get(m)[conf[m]][1];
            result += prob;
        }
        return result;
    }

    /**
     * A graph run once in topological order: a node without predecessors writes its own answer;
     * a node with predecessors, if persuaded, writes the plurality of their answers (listed in
     * pool order), else its own; the output is the end node's answer.
     */
    static double dag(double[] p, double[] persuade, List<Integer> order, List<List<Integer>> predecessors, int end) {
        double[] total = {0};
        forEachAnswers(p, (own, pa) -> forEachFlags(persuade, (persuaded, pq) -> {
            int[] answer = new int[p.length];
            for (int node : order) {
                List<Integer> before = predecessors.get(node);
                if (before.isEmpty() || !persuaded[node]) {
                    answer[node] = own[node];
                } else {
                    List<Integer> shown = new ArrayList<>();
                    for (int j : before) shown.add(answer[j]);
                    answer[node] = plurality(shown);
                }
            }
            if (answer[end] == 0) total[0] += pa * pq;
        }));
        return total[0];
    }

    static List<Integer> toList(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int x : a) out.add(x);
        return out;
    }
}
