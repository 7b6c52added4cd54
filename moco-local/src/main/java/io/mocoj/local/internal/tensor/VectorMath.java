package io.mocoj.local.internal.tensor;

/** Small float kernels used by the forward pass. */
public final class VectorMath {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VectorMath.class);
    /** The dot kernel in use: SIMD when the Vector API module is present (and not disabled), else plain Java. */
    public static final FloatDot DOT = simdOr("VectorFloatDot", FloatDot.SCALAR);
    /** The half-precision accumulator kernels, chosen the same way. */
    public static final HalfKernels HALF = simdOr("VectorHalfKernels", HalfKernels.SCALAR);

    private VectorMath() {}

    /** The SIMD implementation {@code simd.<className>} when the Vector API is present (and not disabled), else {@code fallback}. */
    @SuppressWarnings("unchecked")
    private static <T> T simdOr(String className, T fallback) {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("mocoj.local.vector", "true"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                T d = (T) Class.forName("io.mocoj.local.internal.tensor.simd." + className)
                        .getDeclaredConstructor().newInstance();
                LOG.debug("using the Vector API ({})", className);
                return d;
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("Vector API present but unusable ({}); using plain Java kernels", e.toString());
            }
        }
        return fallback;
    }

    /** Whether the SIMD kernels are in use. */
    public static boolean simd() { return DOT != FloatDot.SCALAR; }

    /** Float lanes of the SIMD kernels' vectors (1 without them). */
    public static int simdLanes() {
        return simd() ? io.mocoj.local.internal.tensor.simd.VectorFloatDot.lanes() : 1;
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return DOT.dot(a, aOff, b, bOff, n);
    }

    /**
     * {@code out = x / sqrt(mean(x²) + eps) * weight} in ggml's steps: float squares summed in double,
     * the mean rounded to float, {@code 1.0f / sqrtf(mean + eps)} in float.
     */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[xOff + i] * x[xOff + i];
        float scale = 1.0f / (float) Math.sqrt((float) (sum / n) + eps);
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * scale * weight[i];
    }

    /** In-place softmax of {@code x[off .. off+n)}. */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }

    public static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }
}
