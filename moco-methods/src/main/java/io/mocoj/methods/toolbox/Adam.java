package io.mocoj.methods.toolbox;

/**
 * The Adam optimiser (Kingma &amp; Ba) with the usual defaults β1 = 0.9, β2 = 0.999, ε = 1e-8 and
 * bias correction, over one flat parameter vector; with a weight decay it is AdamW (Loshchilov
 * &amp; Hutter: decoupled decay {@code p ← p − lr·wd·p} before the Adam update, as PyTorch's AdamW).
 */
public final class Adam {
    private final double lr, weightDecay, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    private final double[] m, v;
    private int t;

    public Adam(int parameters, double learningRate) { this(parameters, learningRate, 0); }

    /** AdamW with decoupled weight decay {@code weightDecay} on every parameter. */
    public Adam(int parameters, double learningRate, double weightDecay) {
        this.lr = learningRate;
        this.weightDecay = weightDecay;
        this.m = new double[parameters];
        this.v = new double[parameters];
    }

    /** One update of {@code params} in place from {@code gradient}. */
    public void step(double[] params, double[] gradient) {
        if (params.length != m.length || gradient.length != m.length) throw new IllegalArgumentException("size mismatch");
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.length; i++) {
            if (weightDecay != 0) params[i] -= lr * weightDecay * params[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
            v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
            params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }
}
