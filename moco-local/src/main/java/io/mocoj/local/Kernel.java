package io.mocoj.local;

import io.mocoj.local.internal.tensor.VectorMath;

/**
 * Which compute kernels moco-local runs on in this process. The choice is made once, when the
 * first model computes: the Vector API kernels when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (and the system property
 * {@code mocoj.local.vector} is not {@code false}), otherwise the plain-Java fallback. Both give
 * the same results to float rounding; the SIMD kernels are several times faster.
 */
public enum Kernel {
    /** SIMD kernels on {@code jdk.incubator.vector}. */
    VECTOR_API,
    /** Plain Java loops (the Vector API module is absent or disabled). */
    PLAIN_JAVA;

    /** The kernels in use. */
    public static Kernel current() {
        return VectorMath.simd() ? VECTOR_API : PLAIN_JAVA;
    }

    /** Float lanes per SIMD vector (e.g. 16 with AVX-512, 8 with AVX2), or 1 for plain Java. */
    public int floatLanes() {
        return this == VECTOR_API && current() == VECTOR_API ? VectorMath.simdLanes() : 1;
    }

    /** A one-line description for logs and reports, e.g. {@code "Vector API, 512-bit (16 float lanes)"}. */
    public String description() {
        if (this == PLAIN_JAVA) {
            return "plain Java (start the JVM with --add-modules jdk.incubator.vector for the SIMD kernels)";
        }
        if (current() != VECTOR_API) return "Vector API (not available in this JVM)";
        int lanes = floatLanes();
        return "Vector API, " + lanes * 32 + "-bit (" + lanes + " float lanes)";
    }
}
