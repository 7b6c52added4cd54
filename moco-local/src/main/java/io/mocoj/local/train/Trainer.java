package io.mocoj.local.train;

import io.mocoj.local.LocalModel;
import io.mocoj.local.internal.Sampler;
import io.mocoj.local.lora.LoraAdapter;
import io.mocoj.local.lora.LoraTensor;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.train.internal.Checkpoints;
import io.mocoj.local.train.internal.DataEncoder;
import io.mocoj.local.train.internal.DataEncoder.Item;
import io.mocoj.local.train.internal.DataEncoder.Seq;
import io.mocoj.local.train.internal.DeferralLoss;
import io.mocoj.local.train.internal.Losses;
import io.mocoj.local.train.internal.Network;
import io.mocoj.local.train.internal.NetworkFactory;
import io.mocoj.local.train.internal.PackedBatch;
import io.mocoj.local.train.internal.Param;
import io.mocoj.train.TrainingException;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link LocalModel} on CPU in pure Java: SFT, DPO, GRPO or Co-LLM's deferral objective, with LoRA adapters or full
 * fine-tuning, AdamW, warm-up and cosine/linear decay, gradient clipping, micro-batches that
 * accumulate into one optimiser step, sequences packed without padding.
 *
 * <p>Each step is a pure function of the weights, the optimiser moments, the step number, the data
 * and the seed: reruns with the same thread count are bit-identical, and a run resumed from a
 * checkpoint ends with the same weights as one that was never interrupted.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final LocalModel model;
    private final TrainingConfig cfg;
    private final Consumer<TrainingProgress> listener;
    private final Parallel par;
    private final Network net;
    private final List<Param> params;
    private final float[][] m, v;
    private final List<Item> items;
    private final List<int[]> plan;
    private final String fingerprint;
    private Network reference; // full fine-tuning: a frozen copy of the starting weights (DPO, GRPO)
    private double[][] refSums; // DPO: reference log-probability of each item's chosen and rejected completion
    private Path lastCheckpoint;
    private int lastCheckpointStep;
    private final Param headWeight, headBias; // DEFERRAL: the deferral head, trained with the model (null otherwise)
    private final Map<Seq, float[]> mentorLogp; // DEFERRAL: the frozen mentor's log-probability of each scored token of each sequence

    private Trainer(LocalModel model, List<TrainingExample> data, TrainingConfig cfg, Consumer<TrainingProgress> listener) {
        this.model = model;
        this.cfg = cfg;
        this.listener = listener == null ? p -> { } : listener;
        int maxLength = cfg.maxLength() > 0 ? Math.min(cfg.maxLength(), model.contextLength()) : model.contextLength();
        this.items = DataEncoder.encode(model, data, cfg.objective(), maxLength);
        this.par = new Parallel(cfg.threads());
        this.net = NetworkFactory.build(model, par, cfg.lora(), cfg.seed());
        if (cfg.deferral() != null) {
            double[] init = cfg.deferral().initialHead();
            int dim = model.hiddenSize();
            if (init.length != dim + 1) {
                throw new IllegalArgumentException("the deferral head has " + (init.length - 1) + " weights, but " + model.name() + " has hidden size " + dim);
            }
            float[] w = new float[dim];
            for (int i = 0; i < dim; i++) w[i] = (float) init[i];
            this.headWeight = new Param(HEAD_WEIGHT, 1, dim, w, true);
            this.headBias = new Param(HEAD_BIAS, 1, 1, new float[] {(float) init[dim]}, true);
            List<Param> all = new ArrayList<>(net.trainable());
            all.add(headWeight);
            all.add(headBias);
            this.params = all;
            this.mentorLogp = mentorLogp(items, cfg.deferral());
        } else {
            this.headWeight = null;
            this.headBias = null;
            this.mentorLogp = null;
            this.params = net.trainable();
        }
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).size()];
            v[i] = new float[params.get(i).size()];
        }
        this.plan = plan();
        this.fingerprint = fingerprint();
    }

    /** DEFERRAL: the names of the deferral head's tensors in checkpoints. */
    static final String HEAD_WEIGHT = "collm.deferral.weight", HEAD_BIAS = "collm.deferral.bias";

    /** DEFERRAL: each sequence's mentor log-probabilities, checked against its scored tokens. */
    private static Map<Seq, float[]> mentorLogp(List<Item> items, io.mocoj.train.DeferralTarget d) {
        Map<Seq, float[]> out = new java.util.IdentityHashMap<>();
        for (Item it : items) {
            Seq s = it.seqs().get(0);
            float[] q = d.mentorLogProbs().get(it.row());
            if (q.length != s.scoredCount()) {
                throw new IllegalArgumentException("training row " + (it.row() + 1) + ": " + s.scoredCount() + " completion tokens to train on but "
                        + q.length + " mentor log-probabilities; score the mentor on the row as the chat template renders it (cut at max_length)");
            }
            out.put(s, q);
        }
        return out;
    }

    /**
     * Trains and returns the result; {@code listener} gets one event per step.
     *
     * @throws IllegalArgumentException for bad data or settings (before any training)
     * @throws TrainingException        when the loss or the gradients become NaN or infinite
     */
    public static TrainingResult train(LocalModel model, List<TrainingExample> data, TrainingConfig cfg,
                                       Consumer<TrainingProgress> listener) {
        Trainer t = new Trainer(model, data, cfg, listener);
        try {
            return t.run();
        } finally {
            t.par.close();
        }
    }

    /**
     * {@link io.mocoj.train.TrainableModel#fineTune} for local models: LoRA of the request's rank
     * (or full fine-tuning for rank 0) with this class's defaults; with an output directory,
     * checkpoints every 50 steps go to {@code DIR/checkpoints} (an interrupted call resumes) and
     * the result is saved there ({@link TrainingResult#save}).
     */
    public static TrainingResult fineTune(LocalModel model, io.mocoj.train.FineTuneRequest r) {
        TrainingConfig.Builder b = TrainingConfig.builder().objective(r.objective()).steps(r.steps()).epochs(r.epochs())
                .learningRate(r.learningRate()).seed(r.seed()).threads(model.options().threads()).reward(r.reward())
                .lora(r.loraRank() > 0 ? LoraConfig.of(r.loraRank()) : null).deferral(r.deferral());
        if (r.outputDir() != null) b.checkpointEvery(50).checkpointDir(r.outputDir().resolve("checkpoints"));
        RequestOptions.apply(r, b);
        TrainingResult res = train(model, r.examples(), b.build(), r.listener());
        res = new TrainingResult(res.base(), model.name() + "-" + r.suffix(), res.adapter(), res.fullWeights(), res.losses(), res.steps(),
                res.resumedAt());
        if (r.outputDir() != null) res.save(r.outputDir(), io.mocoj.local.gguf.GgmlType.F16);
        return res;
    }

    private TrainingResult run() {
        int start = 0;
        if (cfg.checkpointDir() != null && cfg.resume()) {
            Checkpoints.State s = Checkpoints.loadLatest(cfg.checkpointDir(), fingerprint, params, m, v);
            if (s != null) {
                start = s.step();
                lastCheckpoint = s.file();
                lastCheckpointStep = s.step();
                LOG.info("resuming {} from {} (step {} of {})", model.name(), s.file(), start, plan.size());
            }
        }
        if (cfg.objective() == TrainingObjective.DPO) refSums = referenceSums();
        List<Double> losses = new ArrayList<>();
        long t0 = System.nanoTime();
        long tokens = 0;
        for (int step = start; step < plan.size(); step++) {
            net.zeroGrad();
            StepResult r = switch (cfg.objective()) {
                case SFT -> sftStep(step);
                case DPO -> dpoStep(step);
                case GRPO -> grpoStep(step);
                case DEFERRAL -> deferralStep(step);
            };
            double gradNorm = gradNorm();
            if (!Double.isFinite(r.loss) || !Double.isFinite(gradNorm)) {
                throw new TrainingException("step " + (step + 1) + ": the " + (Double.isFinite(r.loss) ? "gradient norm" : "loss") + " is "
                        + (Double.isFinite(r.loss) ? gradNorm : r.loss) + "; training stopped without updating the weights. "
                        + (lastCheckpoint != null ? "The last good checkpoint is " + lastCheckpoint + " (step " + lastCheckpointStep
                        + "); lower the learning rate and resume from it" : "No checkpoint had been written; lower the learning rate"));
            }
            double lr = cfg.learningRateAt(step, plan.size());
            double clip = cfg.maxGradNorm() > 0 && gradNorm > cfg.maxGradNorm() ? cfg.maxGradNorm() / (gradNorm + 1e-6) : 1.0;
            adamW(step + 1, lr, (float) clip);
            losses.add(r.loss);
            tokens += r.tokens;
            int done = step + 1;
            if (cfg.checkpointEvery() > 0 && (done % cfg.checkpointEvery() == 0 || done == plan.size())) {
                lastCheckpoint = Checkpoints.write(cfg.checkpointDir(), done, fingerprint, params, m, v);
                lastCheckpointStep = done;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            int ran = done - start;
            Duration eta = Duration.ofMillis((long) (secs / ran * (plan.size() - done) * 1000));
            listener.accept(new TrainingProgress(done, plan.size(), r.loss, lr, gradNorm, tokens / Math.max(secs, 1e-9), eta, r.metrics));
        }
        if (headWeight != null) {
            double[] head = new double[headWeight.size() + 1];
            for (int i = 0; i < headWeight.size(); i++) head[i] = headWeight.value()[i];
            head[headWeight.size()] = headBias.value()[0];
            cfg.deferral().trainedHead().accept(head);
        }
        String name = model.name() + "-" + cfg.objective().name().toLowerCase();
        if (cfg.lora() != null) return new TrainingResult(model, name, adapter(), null, losses, plan.size(), start);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Param p : params) weights.put(p.name(), p.value().clone());
        return new TrainingResult(model, name, null, weights, losses, plan.size(), start);
    }

    private record StepResult(double loss, long tokens, Map<String, Double> metrics) {}

    // ------------------------------------------------------------------ objectives

    private StepResult sftStep(int step) {
        List<Item> batch = itemsOf(step);
        int scored = 0;
        for (Item it : batch) scored += it.seqs().get(0).scoredCount();
        double loss = 0;
        long tokens = 0;
        int micro = 0;
        for (List<Seq> mb : microBatches(seqsOf(batch))) {
            PackedBatch b = pack(mb);
            Network.Activations acts = net.forward(b, dropoutSeed(step, micro++), true);
            float[] coef = new float[b.targets()];
            loss += Losses.sft(acts.logp(), 1.0 / scored, coef);
            net.backward(acts, coef);
            tokens += b.length();
        }
        return new StepResult(loss, tokens, Map.of());
    }

    /**
     * Co-LLM's marginal likelihood over the step's completion tokens (their mean): the model's
     * log-probabilities get {@code dLoss/dlogp}; the head's logit {@code z = w·h + b} on each final
     * hidden state gets {@code dLoss/dz}, which reaches the head's weights ({@code dz·h}) and the
     * model through the hidden state ({@code dz·w}).
     */
    private StepResult deferralStep(int step) {
        List<Item> batch = itemsOf(step);
        int scored = 0;
        for (Item it : batch) scored += it.seqs().get(0).scoredCount();
        headWeight.zeroGrad();
        headBias.zeroGrad();
        double loss = 0, deferSum = 0, mentorSum = 0;
        long tokens = 0;
        int micro = 0;
        for (List<Seq> mb : microBatches(seqsOf(batch))) {
            PackedBatch b = pack(mb);
            float[] logq = new float[b.targets()];
            int at = 0;
            for (Seq q : mb) {
                float[] lq = mentorLogp.get(q);
                System.arraycopy(lq, 0, logq, at, lq.length);
                at += lq.length;
            }
            Network.Activations acts = net.forward(b, dropoutSeed(step, micro++), true);
            DeferralLoss.Result r = DeferralLoss.apply(net, acts, logq, headWeight, headBias, 1.0 / scored, true);
            loss += r.loss();
            deferSum += r.deferralSum();
            mentorSum += r.mentorShareSum();
            tokens += b.length();
        }
        return new StepResult(loss, tokens, Map.of("deferral_probability", deferSum / scored, "mentor_share", mentorSum / scored));
    }

    private StepResult dpoStep(int step) {
        List<Integer> idx = List.of(box(plan.get(step)));
        double loss = 0, margin = 0, correct = 0;
        long tokens = 0;
        int micro = 0;
        List<List<Integer>> groups = microGroups(idx);
        for (List<Integer> g : groups) {
            List<Seq> seqs = new ArrayList<>();
            double[] ref = new double[2 * g.size()];
            for (int k = 0; k < g.size(); k++) {
                Item it = items.get(g.get(k));
                seqs.addAll(it.seqs());
                ref[2 * k] = refSums[g.get(k)][0];
                ref[2 * k + 1] = refSums[g.get(k)][1];
            }
            PackedBatch b = pack(seqs);
            Network.Activations acts = net.forward(b, dropoutSeed(step, micro++), true);
            float[] coef = new float[b.targets()];
            double[] margins = new double[g.size()];
            loss += Losses.dpo(acts.logp(), b.targetSeq(), b.sequences(), ref, cfg.dpoBeta(), 1.0 / idx.size(), coef, margins);
            for (double mg : margins) {
                margin += mg / idx.size();
                if (mg > 0) correct += 1.0 / idx.size();
            }
            net.backward(acts, coef);
            tokens += b.length();
        }
        return new StepResult(loss, tokens, Map.of("margin", margin, "accuracy", correct));
    }

    private StepResult grpoStep(int step) {
        List<Item> prompts = itemsOf(step);
        LocalModel policy = currentModel(model.name() + "-policy");
        List<Seq> seqs = new ArrayList<>();
        List<Double> advantages = new ArrayList<>();
        double rewardSum = 0;
        int count = 0;
        for (int k = 0; k < prompts.size(); k++) {
            Item it = prompts.get(k);
            int[][] completions = sample(policy, it.promptTokens(), step, k);
            double[] rewards = new double[completions.length];
            for (int g = 0; g < completions.length; g++) {
                String text = model.tokenizer().decode(stripEnd(completions[g]));
                rewards[g] = cfg.reward().reward(it.prompt(), text);
                if (!Double.isFinite(rewards[g])) throw new TrainingException("the reward function returned " + rewards[g] + " for prompt row " + (it.row() + 1));
                rewardSum += rewards[g];
                count++;
                int[] tokens = new int[it.promptTokens().length + completions[g].length];
                System.arraycopy(it.promptTokens(), 0, tokens, 0, it.promptTokens().length);
                System.arraycopy(completions[g], 0, tokens, it.promptTokens().length, completions[g].length);
                boolean[] scored = new boolean[tokens.length];
                for (int t = it.promptTokens().length; t < tokens.length; t++) scored[t] = true;
                seqs.add(new Seq(tokens, scored));
            }
            for (double a : Losses.groupAdvantages(rewards)) advantages.add(a);
        }
        double loss = 0;
        long tokens = 0;
        int at = 0, micro = 0;
        for (List<Seq> mb : microBatches(seqs)) {
            PackedBatch b = pack(mb);
            double[] adv = new double[mb.size()], w = new double[mb.size()];
            for (int i = 0; i < mb.size(); i++) {
                adv[i] = advantages.get(at + i);
                w[i] = 1.0 / (seqs.size() * (double) mb.get(i).scoredCount());
            }
            at += mb.size();
            double[] ref = toDouble(referenceLogp(b));
            Network.Activations acts = net.forward(b, dropoutSeed(step, micro++), true);
            double[] old = toDouble(acts.logp()); // one update per sampled batch: the ratio starts at 1
            float[] coef = new float[b.targets()];
            loss += Losses.grpo(acts.logp(), b.targetSeq(), adv, old, ref, cfg.clipEpsilon(), cfg.klBeta(), w, coef);
            net.backward(acts, coef);
            tokens += b.length();
        }
        return new StepResult(loss, tokens, Map.of("reward", rewardSum / count));
    }

    /** Samples {@code groupSize} completions (ending with the end token when one was produced) with moco-local's sampler. */
    private int[][] sample(LocalModel policy, int[] prompt, int step, int k) {
        int[][] out = new int[cfg.groupSize()][];
        int[] ends = model.tokenizer().endTokens();
        int room = Math.min(cfg.maxCompletionTokens(), policy.contextLength() - prompt.length);
        try (LocalModel.Session base = policy.newSession()) {
            base.append(prompt);
            for (int g = 0; g < cfg.groupSize(); g++) {
                Sampler sampler = new Sampler(cfg.temperature(), 1.0, 0, new Random(new java.util.SplittableRandom(cfg.seed() * 1_000_003L + step * 7919L + k * 131L + g).nextLong()));
                List<Integer> toks = new ArrayList<>();
                try (LocalModel.Session s = base.fork()) {
                    while (toks.size() < room) {
                        int next = sampler.sample(s.logits());
                        toks.add(next);
                        if (contains(ends, next)) break;
                        if (toks.size() < room) s.append(next);
                    }
                }
                out[g] = toks.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return out;
    }

    private int[] stripEnd(int[] c) {
        if (c.length > 0 && contains(model.tokenizer().endTokens(), c[c.length - 1])) return java.util.Arrays.copyOf(c, c.length - 1);
        return c;
    }

    private static boolean contains(int[] a, int x) {
        for (int y : a) if (y == x) return true;
        return false;
    }

    /** Log-probabilities of the batch's targets under the frozen starting model. */
    private float[] referenceLogp(PackedBatch b) {
        if (cfg.lora() != null) {
            net.loraEnabled(false);
            try {
                return net.forward(b, null, false).logp();
            } finally {
                net.loraEnabled(true);
            }
        }
        if (reference == null) reference = NetworkFactory.build(model, par, null, cfg.seed());
        return reference.forward(b, null, false).logp();
    }

    /** DPO: each pair's reference log-probabilities, computed once before training. */
    private double[][] referenceSums() {
        double[][] out = new double[items.size()][];
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) all.add(i);
        for (List<Integer> g : microGroups(all)) {
            List<Seq> seqs = new ArrayList<>();
            for (int i : g) seqs.addAll(items.get(i).seqs());
            PackedBatch b = pack(seqs);
            double[] sums = Losses.perSequence(referenceLogp(b), b.targetSeq(), b.sequences());
            for (int k = 0; k < g.size(); k++) out[g.get(k)] = new double[] {sums[2 * k], sums[2 * k + 1]};
        }
        if (reference != null) reference = null;
        return out;
    }

    // ------------------------------------------------------------------ optimiser

    private double gradNorm() {
        double s = 0;
        for (Param p : params) for (float g : p.grad()) s += (double) g * g;
        return Math.sqrt(s);
    }

    /** AdamW as PyTorch's: decoupled decay of matrices, bias-corrected moments. */
    private void adamW(int t, double lr, float clip) {
        double b1 = cfg.beta1(), b2 = cfg.beta2();
        double bc1 = 1 - Math.pow(b1, t), bc2 = Math.sqrt(1 - Math.pow(b2, t));
        float stepSize = (float) (lr / bc1), eps = (float) cfg.adamEpsilon();
        // DEFERRAL: the head follows the same schedule at its own peak rate, without weight decay
        float headStep = headWeight == null ? 0f : (float) (lr / cfg.peakLearningRate() * cfg.deferral().headLearningRate() / bc1);
        float fb1 = (float) b1, fb2 = (float) b2, fbc2 = (float) bc2;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            boolean head = p == headWeight || p == headBias;
            float decay = !head && decays(p) ? (float) (1 - lr * cfg.weightDecay()) : 1f;
            float size = head ? headStep : stepSize;
            float[] w = p.value(), g = p.grad(), mi = m[i], vi = v[i];
            par.forRange(w.length, 1 << 14, (from, to) -> {
                for (int j = from; j < to; j++) {
                    float gj = g[j] * clip;
                    mi[j] = fb1 * mi[j] + (1 - fb1) * gj;
                    vi[j] = fb2 * vi[j] + (1 - fb2) * gj * gj;
                    w[j] = w[j] * decay - size * mi[j] / ((float) Math.sqrt(vi[j]) / fbc2 + eps);
                }
            });
        }
    }

    /** Weight decay applies to matrices and adapters, not to norms and biases (as in HF trainers). */
    private static boolean decays(Param p) {
        return !(p.name().endsWith(".bias") || p.name().endsWith("norm.weight"));
    }

    // ------------------------------------------------------------------ data plan

    /** The items of every step, fixed up front from the seed (so a resumed run sees the same batches). */
    private List<int[]> plan() {
        List<int[]> steps = new ArrayList<>();
        boolean grpo = cfg.objective() == TrainingObjective.GRPO;
        for (int epoch = 0; ; epoch++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) order.add(i);
            Collections.shuffle(order, new Random(cfg.seed() * 31 + epoch));
            List<Integer> cur = new ArrayList<>();
            int curTokens = 0;
            for (int idx : order) {
                int tok = items.get(idx).tokens();
                boolean full = grpo ? cur.size() == cfg.promptsPerStep() : !cur.isEmpty() && curTokens + tok > cfg.batchTokens();
                if (full) {
                    steps.add(unbox(cur));
                    if (cfg.steps() > 0 && steps.size() == cfg.steps()) return steps;
                    cur.clear();
                    curTokens = 0;
                }
                cur.add(idx);
                curTokens += tok;
            }
            steps.add(unbox(cur));
            if (cfg.steps() > 0 ? steps.size() == cfg.steps() : epoch + 1 == cfg.epochs()) return steps;
        }
    }

    private List<Item> itemsOf(int step) {
        List<Item> out = new ArrayList<>();
        for (int i : plan.get(step)) out.add(items.get(i));
        return out;
    }

    private static List<Seq> seqsOf(List<Item> batch) {
        List<Seq> out = new ArrayList<>();
        for (Item it : batch) out.addAll(it.seqs());
        return out;
    }

    /** Sequences split greedily into micro-batches of at most {@code microBatchTokens} (a longer sequence goes alone). */
    private List<List<Seq>> microBatches(List<Seq> seqs) {
        return greedy(seqs, s -> s.tokens().length);
    }

    /** Items split into micro-batches by their total tokens (a DPO pair stays together). */
    private List<List<Integer>> microGroups(List<Integer> idx) {
        return greedy(idx, i -> items.get(i).tokens());
    }

    private <T> List<List<T>> greedy(List<T> all, java.util.function.ToIntFunction<T> size) {
        List<List<T>> out = new ArrayList<>();
        List<T> cur = new ArrayList<>();
        int n = 0;
        for (T x : all) {
            int k = size.applyAsInt(x);
            if (!cur.isEmpty() && n + k > cfg.microBatchTokens()) {
                out.add(cur);
                cur = new ArrayList<>();
                n = 0;
            }
            cur.add(x);
            n += k;
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    private static PackedBatch pack(List<Seq> seqs) {
        List<int[]> t = new ArrayList<>();
        List<boolean[]> s = new ArrayList<>();
        for (Seq q : seqs) {
            t.add(q.tokens());
            s.add(q.scored());
        }
        return PackedBatch.pack(t, s);
    }

    private long dropoutSeed(int step, int micro) {
        return cfg.seed() * 1_000_003L + step * 7919L + micro;
    }

    // ------------------------------------------------------------------ results

    private LoraAdapter adapter() {
        List<LoraTensor> pairs = new ArrayList<>();
        for (Network.Block b : net.blocks()) {
            for (Network.Linear l : b.linears()) {
                Network.Lora lo = l.lora();
                if (lo == null) continue;
                pairs.add(new LoraTensor(l.name(), lo.rank(), lo.a().cols(), lo.b().rows(), lo.a().value().clone(), lo.b().value().clone()));
            }
        }
        return LoraAdapter.of(model.name() + "-lora", model.architecture(), (float) cfg.lora().alpha(), pairs);
    }

    private LocalModel currentModel(String name) {
        if (cfg.lora() != null) return adapter().mergeInto(model, name);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (Param p : params) w.put(p.name(), p.value());
        return model.withTensors(name, w);
    }

    private String fingerprint() {
        StringBuilder s = new StringBuilder(model.architectureFingerprint());
        TrainingConfig c = cfg;
        s.append('|').append(List.of(c.objective(), String.valueOf(c.lora()), c.steps(), c.epochs(), c.peakLearningRate(), c.schedule(),
                c.warmupSteps(), c.minLearningRate(), c.weightDecay(), c.beta1(), c.beta2(), c.adamEpsilon(), c.maxGradNorm(),
                c.batchTokens(), c.microBatchTokens(), c.seed(), c.dpoBeta(), c.groupSize(), c.promptsPerStep(),
                c.maxCompletionTokens(), c.temperature(), c.clipEpsilon(), c.klBeta())); // not the thread count: it changes no result
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(s.toString().getBytes(StandardCharsets.UTF_8));
            for (Item it : items) {
                for (Seq q : it.seqs()) for (int t : q.tokens()) md.update(new byte[] {(byte) t, (byte) (t >> 8), (byte) (t >> 16)});
                if (it.promptTokens() != null) for (int t : it.promptTokens()) md.update(new byte[] {(byte) t, (byte) (t >> 8), (byte) (t >> 16)});
                md.update((byte) 0);
            }
            for (Param p : params) md.update(p.name().getBytes(StandardCharsets.UTF_8));
            if (cfg.deferral() != null) {
                md.update(String.valueOf(cfg.deferral().headLearningRate()).getBytes(StandardCharsets.UTF_8));
                for (double x : cfg.deferral().initialHead()) md.update(String.valueOf(x).getBytes(StandardCharsets.UTF_8));
                for (float[] q : cfg.deferral().mentorLogProbs()) {
                    for (float x : q) { int bits = Float.floatToIntBits(x); md.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)}); }
                    md.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static int[] unbox(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Integer[] box(int[] a) {
        Integer[] b = new Integer[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }
}
