package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;
import java.util.List;

/**
 * A base matrix plus scaled low-rank terms, {@code W + Σ scale·B·A}, computed without forming the
 * sum (LoRA adapters applied at inference). {@link Parallel#matmul} multiplies the base in its
 * stored type and each term as {@code B (A x)}, as llama.cpp does; row access (embedding lookups,
 * {@link #toFloats()}) adds the terms to the decoded base row.
 */
public final class LowRankSum implements Matrix {
    /**
     * One low-rank term: {@code a} is {@code rank × cols}, {@code b} is {@code rows × rank}.
     * {@code halfActivations}: the adapter was stored in F16, so (as ggml does for F16 weights) the
     * activations are rounded to F16 before each of its two products.
     */
    public record Term(ArrayMatrix a, ArrayMatrix b, float scale, boolean halfActivations) {
        public Term {
            if (a.rows() != b.cols()) {
                throw new IllegalArgumentException("low-rank term: A has " + a.rows() + " rows but B has " + b.cols() + " columns");
            }
        }
    }

    private final Matrix base;
    private final List<Term> terms;

    public LowRankSum(Matrix base, List<Term> terms) {
        for (Term t : terms) {
            if (t.a().cols() != base.cols() || t.b().rows() != base.rows()) {
                throw new IllegalArgumentException("low-rank term of shape [" + t.b().rows() + ", " + t.a().cols()
                        + "] does not fit a matrix of shape [" + base.rows() + ", " + base.cols() + "]");
            }
        }
        // a sum over a sum is flattened, so the base stays a stored (possibly mapped) matrix
        if (base instanceof LowRankSum inner) {
            this.base = inner.base;
            this.terms = java.util.stream.Stream.concat(inner.terms.stream(), terms.stream()).toList();
        } else {
            this.base = base;
            this.terms = List.copyOf(terms);
        }
    }

    public Matrix base() { return base; }

    public List<Term> terms() { return terms; }

    @Override public int rows() { return base.rows(); }

    @Override public int cols() { return base.cols(); }

    @Override public GgmlType type() { return base.type(); }

    @Override
    public float dotRow(int row, float[] x, int xOff) {
        float s = base.dotRow(row, x, xOff);
        for (Term t : terms) {
            float[] ax = new float[t.a().rows()];
            for (int j = 0; j < ax.length; j++) ax[j] = t.a().dotRow(j, x, xOff);
            s += t.scale() * t.b().dotRow(row, ax, 0);
        }
        return s;
    }

    @Override
    public void decodeRow(int row, float[] dst, int off) {
        base.decodeRow(row, dst, off);
        int cols = cols();
        float[] aRow = new float[cols];
        float[] bRow = new float[0];
        for (Term t : terms) {
            int rank = t.a().rows();
            if (bRow.length != rank) bRow = new float[rank];
            t.b().decodeRow(row, bRow, 0);
            for (int j = 0; j < rank; j++) {
                float c = t.scale() * bRow[j];
                if (c == 0) continue;
                t.a().decodeRow(j, aRow, 0);
                for (int i = 0; i < cols; i++) dst[off + i] += c * aRow[i];
            }
        }
    }
}
