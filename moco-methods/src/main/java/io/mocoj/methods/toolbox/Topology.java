package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A communication graph between {@code n} agents as a 0/1 adjacency matrix: {@code edge(i, j)}
 * means agent j sees agent i's answer. The named shapes are MoCo's (all undirected): chain
 * i–(i+1); tree: node i linked to 2i+1 and 2i+2; star: node 0 linked to all, plus the ring
 * 1–2–…–(n−1)–1 (so MoCo's "star" is a wheel); circle: i–(i+1 mod n); complete: all pairs.
 */
public record Topology(String shape, int[][] matrix) {

    /** The named shapes. */
    public static final List<String> SHAPES = List.of("chain", "tree", "star", "circle", "complete", "other");

    public Topology {
        int n = matrix.length;
        int[][] copy = new int[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("the structure matrix must be " + n + "×" + n + " (one row and column per model), row "
                        + (i + 1) + " has " + matrix[i].length + " entries");
            }
            for (int v : matrix[i]) {
                if (v != 0 && v != 1) throw new IllegalArgumentException("the structure matrix may only hold 0 and 1, row " + (i + 1) + " holds " + v);
            }
            copy[i] = matrix[i].clone();
        }
        matrix = copy;
    }

    /** A named shape for {@code n} agents. */
    public static Topology named(String shape, int n) {
        int[][] m = new int[n][n];
        switch (shape.toLowerCase(Locale.ROOT)) {
            case "complete" -> { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = i == j ? 0 : 1; }
            case "chain" -> { for (int i = 0; i + 1 < n; i++) link(m, i, i + 1); }
            case "tree" -> { for (int i = 0; i < n; i++) { if (2 * i + 1 < n) link(m, i, 2 * i + 1); if (2 * i + 2 < n) link(m, i, 2 * i + 2); } }
            case "circle" -> { for (int i = 0; i < n; i++) if (i != (i + 1) % n) link(m, i, (i + 1) % n); }
            case "star" -> {
                for (int i = 1; i < n; i++) link(m, 0, i);
                for (int i = 1; i + 1 < n; i++) link(m, i, i + 1);
                if (n > 2) link(m, 1, n - 1);
            }
            default -> throw new IllegalArgumentException("unknown structure_type '" + shape + "'; accepted: " + SHAPES
                    + " (\"other\" takes structure_matrix)");
        }
        return new Topology(shape, m);
    }

    /** A given matrix ({@code M[i][j] = 1}: j sees i). */
    public static Topology ofMatrix(List<List<Integer>> rows) {
        int[][] m = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) m[i] = rows.get(i).stream().mapToInt(Integer::intValue).toArray();
        return new Topology("other", m);
    }

    private static void link(int[][] m, int a, int b) {
        m[a][b] = 1;
        m[b][a] = 1;
    }

    public int size() { return matrix.length; }

    public boolean edge(int from, int to) { return matrix[from][to] == 1; }

    /** The agents whose answers agent {@code j} sees, in pool order (self-loops ignored). */
    public List<Integer> inNeighbours(int j) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) if (i != j && matrix[i][j] == 1) out.add(i);
        return out;
    }

    /**
     * Heterogeneous Swarms' decoding of a continuous weight matrix ({@code w[i][j]}: how much i
     * should feed j; the diagonal is ignored) into a tree that flows into one end node. Scores
     * are turned into probabilities by a softmax over the non-zero entries, and each choice is a
     * top-p draw (the most probable entries up to cumulative mass {@code topP}, renormalised by a
     * softmax, sampled; {@code topP} 0 takes the most probable): the end node by 1 / out-weight;
     * then, repeatedly, the remaining node of highest out-weight joins, with one edge to the
     * already placed node it weights most.
     */
    public static Topology decodeTree(double[][] w, double topP, RandomGenerator random) {
        int n = w.length;
        int[][] m = new int[n][n];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) out[i] += w[i][j];
        double[] inverse = new double[n];
        for (int i = 0; i < n; i++) inverse[i] = out[i] == 0 ? 0 : 1 / out[i];
        if (java.util.Arrays.stream(inverse).allMatch(v -> v == 0)) java.util.Arrays.fill(inverse, 1);
        List<Integer> placed = new ArrayList<>(List.of(topP(softmax(inverse), topP, random)));
        while (placed.size() < n) {
            double[] joining = new double[n];
            boolean any = false;
            for (int i = 0; i < n; i++) if (!placed.contains(i)) { joining[i] = out[i] == 0 ? 1e-12 : out[i]; any = true; }
            if (!any) break;
            int node = topP(softmax(joining), topP, random);
            double[] target = new double[n];
            for (int j : placed) target[j] = w[node][j] == 0 ? 1e-12 : w[node][j];
            m[node][topP(softmax(target), topP, random)] = 1;
            placed.add(node);
        }
        return new Topology("decoded", m);
    }

    /** Softmax over the non-zero entries; zero entries get probability 0. */
    private static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) if (x != 0) max = Math.max(max, x);
        double[] p = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) if (v[i] != 0) { p[i] = Math.exp(v[i] - max); sum += p[i]; }
        for (int i = 0; i < v.length; i++) p[i] /= sum;
        return p;
    }

    private static int topP(double[] p, double threshold, RandomGenerator random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.length; i++) if (p[i] > 0) order.add(i);
        order.sort((a, b) -> Double.compare(p[b], p[a]) != 0 ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Integer> kept = new ArrayList<>();
        double mass = 0;
        for (int i : order) {
            kept.add(i);
            mass += p[i];
            if (mass > threshold) break;
        }
        if (kept.size() == 1) return kept.get(0);
        double[] logits = new double[p.length];
        for (int i : kept) logits[i] = p[i];
        double[] q = softmax(logits);
        double u = random.nextDouble(), acc = 0;
        for (int i : kept) {
            acc += q[i];
            if (u < acc) return i;
        }
        return kept.get(kept.size() - 1);
    }

    /** Nodes in an order where every node comes after its in-neighbours (Kahn's algorithm, lowest index first). */
    public List<Integer> topologicalOrder() {
        int n = size();
        int[] in = new int[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j && matrix[i][j] == 1) in[j]++;
        List<Integer> order = new ArrayList<>();
        boolean[] done = new boolean[n];
        while (order.size() < n) {
            int next = -1;
            for (int i = 0; i < n && next < 0; i++) if (!done[i] && in[i] == 0) next = i;
            if (next < 0) throw new IllegalStateException("the graph has a cycle: " + rows());
            done[next] = true;
            order.add(next);
            for (int j = 0; j < n; j++) if (next != j && matrix[next][j] == 1) in[j]--;
        }
        return order;
    }

    /** The matrix as nested lists (for traces and logs). */
    public List<List<Integer>> rows() {
        List<List<Integer>> out = new ArrayList<>();
        for (int[] row : matrix) out.add(java.util.Arrays.stream(row).boxed().toList());
        return out;
    }
}
