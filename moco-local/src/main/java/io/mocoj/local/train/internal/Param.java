package io.mocoj.local.train.internal;

/**
 * One F32 tensor of the training graph: its values (row-major, {@code rows × cols}) and, when it is
 * trained, its gradient accumulator of the same size.
 */
public final class Param {
    private final String name;
    private final int rows;
    private final int cols;
    private final float[] value;
    private final float[] grad;

    public Param(String name, int rows, int cols, float[] value, boolean trainable) {
        if ((long) rows * cols != value.length) {
            throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + value.length);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.value = value;
        this.grad = trainable ? new float[value.length] : null;
    }

    public String name() { return name; }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** The live values (updated in place by the optimiser). */
    public float[] value() { return value; }

    /** The gradient accumulator, or null for a frozen tensor. */
    public float[] grad() { return grad; }

    public boolean trainable() { return grad != null; }

    public int size() { return value.length; }

    public void zeroGrad() {
        if (grad != null) java.util.Arrays.fill(grad, 0f);
    }
}
