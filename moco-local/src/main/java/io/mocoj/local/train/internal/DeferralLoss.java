package io.mocoj.local.train.internal;

/**
 * Co-LLM's marginal likelihood on one forward pass: the deferral head {@code z = w·h + b} on each
 * target's final hidden state {@code h}, {@link Losses#deferral} against the frozen mentor's
 * log-probabilities, and its gradient into the head ({@code dz·h}, {@code dz}) and into the
 * network (through the log-probabilities and, by {@code dz·w}, the hidden states).
 */
public final class DeferralLoss {
    private DeferralLoss() {}

    /** The pass's loss, the sum over its targets of {@code σ(z)} and of the mentor's posterior share. */
    public record Result(double loss, double deferralSum, double mentorShareSum) {}

    /**
     * Scores a forward pass kept for backward ({@code acts}); with {@code backward}, adds the
     * head's gradients to {@code weight} and {@code bias} and back-propagates into {@code net}.
     *
     * @param logq the mentor's log-probability of each target, in the batch's target order
     * @param w    the loss weight of each target (1 / scored tokens of the step: a mean)
     */
    public static Result apply(Network net, Network.Activations acts, float[] logq, Param weight, Param bias, double w, boolean backward) {
        float[] h = acts.finalHidden(), hw = weight.value();
        int nt = acts.logp().length, dim = hw.length;
        if (h == null) throw new IllegalStateException("the forward pass did not keep its hidden states");
        if (logq.length != nt) throw new IllegalArgumentException("need one mentor log-probability per target: " + nt + ", got " + logq.length);
        double[] z = new double[nt], dz = new double[nt], share = new double[nt];
        for (int j = 0; j < nt; j++) {
            double zj = bias.value()[0];
            for (int i = 0; i < dim; i++) zj += (double) hw[i] * h[j * dim + i];
            z[j] = zj;
        }
        float[] coef = new float[nt];
        double loss = Losses.deferral(acts.logp(), z, logq, w, coef, dz, share);
        double deferral = 0, mentor = 0;
        for (int j = 0; j < nt; j++) {
            deferral += Losses.sigmoid(z[j]);
            mentor += share[j];
        }
        if (backward) {
            float[] gw = weight.grad(), dHidden = new float[nt * dim];
            double db = 0;
            for (int j = 0; j < nt; j++) {
                for (int i = 0; i < dim; i++) {
                    gw[i] += (float) (dz[j] * h[j * dim + i]);
                    dHidden[j * dim + i] = (float) (dz[j] * hw[i]);
                }
                db += dz[j];
            }
            bias.grad()[0] += (float) db;
            net.backward(acts, coef, dHidden);
        }
        return new Result(loss, deferral, mentor);
    }
}
