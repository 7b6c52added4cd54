package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /** The matrix as nested lists (for traces and logs). */
    public List<List<Integer>> rows() {
        List<List<Integer>> out = new ArrayList<>();
        for (int[] row : matrix) out.add(java.util.Arrays.stream(row).boxed().toList());
        return out;
    }
}
