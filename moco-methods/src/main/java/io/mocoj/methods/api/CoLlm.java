package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.DeferralHead;
import io.mocoj.methods.toolbox.LocalDecoder;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Distributions;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.Role;
import io.mocoj.task.Example;
import io.mocoj.train.DeferralTarget;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainedModel;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code api_collm} (Shen et al., "Learning to Decode Collaboratively with Multiple Language
 * Models"): a small generator (pool model 0) learns, token by token, when to let a large mentor
 * (model 1) write.
 * <ol>
 *   <li>Training rows: {@code training_num} prompt/completion pairs from {@code training_dataset_name}
 *       (a JSONL file), or by default the task's dev split with its reference answers.</li>
 *   <li>Both models read every reference completion; a token is a deferral example when the
 *       mentor's top token is the reference and the generator's is not (Co-LLM's initialisation),
 *       and the mentor's probability of every reference token is kept (frozen).</li>
 *   <li>The deferral head on the generator's hidden state is initialised by weighted cross-entropy
 *       on those labels (MoCo's initialisation search).</li>
 *   <li>The generator (LoRA, through the TRAIN API's DEFERRAL objective) and the head are trained
 *       together on Co-LLM's marginal likelihood {@code log((1 − σ)·p_gen + σ·p_mentor)} of the
 *       reference tokens ({@code training_objective} {@code joint}, as MoCo's second phase); or,
 *       with {@code separate}, the generator by SFT and then the head alone on that likelihood.</li>
 *   <li>At test, greedily, token by token: when the deferral probability exceeds the threshold
 *       ({@code deferral_threshold}, after the {@code threshold_warmup_schedule}), the mentor's top
 *       token is taken ({@code defer}) or the top token of {@code (1 − σ)·P_gen + σ·P_mentor}
 *       ({@code compose}); otherwise the generator's.</li>
 * </ol>
 * Both models must share a vocabulary (tokens pass between them as ids).
 */
public final class CoLlm extends ConfiguredMethod<CoLlm> {
    public static final String NAME = "api_collm";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.text("training_dataset_name", null, "a JSONL file of {prompt, completion} or {messages} rows (default: the task's dev split with its reference answers)"),
            ParameterSpec.text("training_split", "train", "MoCo's dataset split: ignored for files"),
            ParameterSpec.integer("training_num", 10000, 1, Integer.MAX_VALUE, "training rows used (the first ones)"),
            ParameterSpec.integer("max_sequence_length", 512, 8, 1_000_000, "tokens of prompt and completion kept per training row"),
            ParameterSpec.integer("max_seq_length", null, 8, 1_000_000, "alias of max_sequence_length"),
            ParameterSpec.real("deferral_threshold", 0.5, 0.0, 1.0, "defer when the deferral probability is above this"),
            ParameterSpec.choice("deferral_strategy", "defer", List.of("defer", "compose"), "take the mentor's token, or mix the two distributions"),
            ParameterSpec.choice("threshold_warmup_schedule", "none", List.of("none", "linear", "cosine"), "threshold from 1 down to deferral_threshold over the first tokens"),
            ParameterSpec.integer("threshold_warmup_steps", 15, 1, 1_000_000, "tokens of the warm-up"),
            ParameterSpec.bool("train_generator", true, "MoCo-J: train the generator (false: fit the head alone on the untrained generator)"),
            ParameterSpec.choice("training_objective", "joint", List.of("joint", "separate"), "MoCo-J: generator and head together on the marginal"
                    + " likelihood (MoCo's phase 2), or generator SFT then the head alone"),
            ParameterSpec.integer("sft_epochs", 2, 1, 1000, "MoCo-J: generator training epochs (MoCo: 2)"),
            ParameterSpec.integer("sft_max_steps", 0, 0, Integer.MAX_VALUE, "MoCo-J: cap on generator training steps (0: sft_epochs)"),
            ParameterSpec.real("sft_learning_rate", 2e-5, 0, 1, "MoCo-J: generator learning rate (MoCo: 2e-5)"),
            ParameterSpec.integer("lora_rank", 16, 1, 4096, "MoCo-J: LoRA rank of the generator"),
            ParameterSpec.real("deferral_weight_balance", 8.0, 0.0, 1e6, "weight of deferral tokens in the first phase (MoCo: 8)"),
            ParameterSpec.integer("head_steps", 200, 0, 1_000_000, "MoCo-J: full-batch Adam steps of each head-only phase"),
            ParameterSpec.real("head_learning_rate", 0.05, 0, 10, "MoCo-J: Adam learning rate of the head-only phases"),
            ParameterSpec.real("joint_head_learning_rate", 0.01, 0, 10, "MoCo-J: the head's peak learning rate in joint training"),
            ParameterSpec.integer("heldout_num", 0, 0, Integer.MAX_VALUE, "MoCo-J: the last rows are not trained on, only scored (marginal NLL in the trace)"),
            ParameterSpec.text("deferral_head", null, "MoCo-J: a deferral_head.gguf (or its folder) an earlier run wrote under LOGDIR/training;"
                    + " decode with it and train nothing (give the trained generator's spec from the generator job's manifest as model 0)"));

    private final Hyperparameters h;
    private final DeferralHead presetHead;

    CoLlm(MethodFactory factory, Hyperparameters h) { this(factory, h, null); }

    private CoLlm(MethodFactory factory, Hyperparameters h, DeferralHead head) {
        super(factory, h);
        this.h = h;
        this.presetHead = head;
    }

    @Override
    public CoLlm with(String key, Object value) {
        CoLlm copy = super.with(key, value);
        return presetHead == null ? copy : new CoLlm(factory(), copy.hyperparameters(), presetHead);
    }

    /** A copy that decodes with this head (e.g. from an earlier run's trace) and trains nothing. */
    public CoLlm deferralHead(DeferralHead head) { return new CoLlm(factory(), hyperparameters(), head); }

    /** A copy with this threshold and strategy ({@code defer} or {@code compose}). */
    public CoLlm deferral(double threshold, String strategy) { return with("deferral_threshold", threshold).with("deferral_strategy", strategy); }

    /** A copy with this threshold warm-up ({@code none}, {@code linear}, {@code cosine}) over {@code steps} tokens. */
    public CoLlm warmup(String schedule, int steps) { return with("threshold_warmup_schedule", schedule).with("threshold_warmup_steps", steps); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.LOGITS); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        if (models.size() != 2) {
            throw new IllegalArgumentException("method " + NAME + " needs exactly 2 models (the generator first, then the mentor), the pool has " + models.size());
        }
        for (int i = 0; i < 2; i++) {
            ModelEndpoint m = models.get(i);
            if (!(m instanceof LogitsModel) || !m.has(Capability.LOGITS)) {
                throw new IllegalArgumentException("method " + NAME + " needs capability LOGITS from model '" + m.name() + "' (the "
                        + (i == 0 ? "generator" : "mentor") + "): both decode token by token; use local gguf: models");
            }
        }
        LogitsModel g = (LogitsModel) models.get(0), m = (LogitsModel) models.get(1);
        if (!g.vocabularyFingerprint().equals(m.vocabularyFingerprint())) {
            throw new IllegalArgumentException("method " + NAME + ": generator '" + g.name() + "' and mentor '" + m.name()
                    + "' have different vocabularies; Co-LLM passes tokens between them, so use two models of one family");
        }
        if (g.hiddenSize() <= 0) {
            throw new IllegalArgumentException("method " + NAME + " reads the generator's hidden states, which model '" + g.name() + "' does not expose");
        }
        DeferralHead preset = preset();
        if (preset == null && h.getBoolean("train_generator")) Training.requireTrain(NAME, g, "the generator");
        if (preset != null && preset.weights().length != g.hiddenSize()) {
            throw new IllegalArgumentException("method " + NAME + ": the deferral head has " + preset.weights().length
                    + " weights but generator '" + g.name() + "' has hidden size " + g.hiddenSize()
                    + "; use the generator the head was trained with (its manifest names it)");
        }
    }

    /** The head given by {@link #deferralHead} or the {@code deferral_head} file, or null (train one). */
    private DeferralHead preset() {
        if (presetHead != null) return presetHead;
        String file = h.getString("deferral_head");
        if (file == null) return null;
        Path p = Path.of(file);
        if (Files.isDirectory(p)) p = p.resolve("deferral_head.gguf");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("hyperparameter 'deferral_head' of method " + NAME + ": " + p + " does not exist; give the"
                    + " deferral_head.gguf (or its folder) that an api_collm run wrote under LOGDIR/training/<run>/deferral-head/");
        }
        try {
            return DeferralHead.readGguf(p);
        } catch (IOException e) {
            throw new UncheckedIOException("method " + NAME + ": cannot read deferral_head " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        checkPool(context.models());
        LogitsModel generator = (LogitsModel) context.model(0), mentor = (LogitsModel) context.model(1);
        DeferralHead head = preset();
        boolean trained = head == null;
        if (trained) {
            Trained t = train(context, generator, mentor);
            generator = t.generator();
            head = t.head();
            save(context, head, generator, t.generatorSpec(), mentor, t.rows());
        }
        double threshold = h.getDouble("deferral_threshold");
        String strategy = h.getString("deferral_strategy"), schedule = h.getString("threshold_warmup_schedule");
        context.trace().record("collm", Map.of("generator", generator.name(), "mentor", mentor.name(), "deferral_threshold", threshold,
                "deferral_strategy", strategy, "threshold_warmup_schedule", schedule, "head_trained", trained));
        AtomicLong tokens = new AtomicLong(), deferred = new AtomicLong();
        LogitsModel gen = generator;
        DeferralHead hd = head;
        MethodOutput out = context.forEachTest((example, index) -> {
            Decoded d = decode(context, gen, mentor, hd, context.evaluator().prompt(example), threshold, strategy, schedule);
            tokens.addAndGet(d.tokens());
            deferred.addAndGet(d.deferred());
            context.trace().record(index, "deferrals", Map.of("tokens", d.tokens(), "deferred", d.deferred(),
                    "deferral_rate", d.tokens() == 0 ? 0.0 : (double) d.deferred() / d.tokens()));
            return d.text();
        });
        context.trace().record("deferral_rate", Map.of("tokens", tokens.get(), "deferred", deferred.get(),
                "rate", tokens.get() == 0 ? 0.0 : (double) deferred.get() / tokens.get()));
        return out;
    }

    record Decoded(String text, int tokens, int deferred) {}

    /** Greedy collaborative decoding of one prompt (MoCo decodes greedily). */
    private Decoded decode(MethodContext context, LogitsModel generator, LogitsModel mentor, DeferralHead head, String prompt,
                           double threshold, String strategy, String schedule) {
        int max = context.settings().maxResponseLength(), warm = h.getInt("threshold_warmup_steps");
        List<ChatMessage> chat = List.of(ChatMessage.user(prompt));
        int deferred = 0;
        try (LocalDecoder g = LocalDecoder.open(context, generator, chat); LocalDecoder m = LocalDecoder.open(context, mentor, chat)) {
            while (g.responseTokens() < max) {
                float[] gl = g.logits();
                double p = head.probability(g.lastHiddenState());
                int next;
                if (p > DeferralHead.threshold(schedule, threshold, warm, max, g.responseTokens())) {
                    deferred++;
                    float[] ml = m.logits();
                    if (strategy.equals("defer")) {
                        next = LocalDecoder.pick(ml, 0, 1, null);
                    } else {
                        float[] pg = Distributions.logSoftmax(gl), pm = Distributions.logSoftmax(ml);
                        next = 0;
                        double best = -1;
                        for (int t = 0; t < Math.min(pg.length, pm.length); t++) {
                            double v = (1 - p) * Math.exp(pg[t]) + p * Math.exp(pm[t]);
                            if (v > best) { best = v; next = t; }
                        }
                    }
                } else {
                    next = LocalDecoder.pick(gl, 0, 1, null);
                }
                if (g.isEnd(next)) return new Decoded(g.text(), g.responseTokens() + 1, deferred);
                g.accept(next);
                m.accept(next);
            }
            return new Decoded(g.text(), g.responseTokens(), deferred);
        }
    }

    /** The training rows: the JSONL file's or the dev split's (task prompt → first reference answer), the first training_num. */
    private List<TrainingExample.Completion> rows(MethodContext context) {
        String file = h.getString("training_dataset_name");
        List<TrainingExample.Completion> rows = new ArrayList<>();
        if (file == null) {
            for (Example e : context.task().dev()) {
                if (!e.answers().isEmpty()) rows.add(new TrainingExample.Completion(context.evaluator().prompt(e), e.answers().get(0)));
            }
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("method " + NAME + " trains on the dev split's reference answers, but task '" + context.task().name()
                        + "' has none; give training_dataset_name (a JSONL file of {\"prompt\",\"completion\"} rows)");
            }
        } else {
            List<TrainingExample> read;
            try {
                read = TrainingExample.readJsonl(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("method " + NAME + ": cannot read training_dataset_name " + file + ": " + e.getMessage(), e);
            }
            for (TrainingExample t : read) {
                switch (t) {
                    case TrainingExample.Completion c -> rows.add(c);
                    case TrainingExample.Conversation c -> rows.add(fromConversation(c, file));
                    default -> throw new IllegalArgumentException("method " + NAME + ": " + file + " has a row that is not {prompt, completion} or {messages}");
                }
            }
        }
        return rows.subList(0, Math.min(rows.size(), h.getInt("training_num")));
    }

    private static TrainingExample.Completion fromConversation(TrainingExample.Conversation c, String file) {
        List<ChatMessage> ms = c.messages();
        ChatMessage last = ms.get(ms.size() - 1);
        String user = null;
        for (ChatMessage m : ms) if (m.role() == Role.USER) user = m.text();
        if (last.role() != Role.ASSISTANT || user == null) {
            throw new IllegalArgumentException("method " + NAME + ": " + file + ": a {messages} row must have a user turn and end with the assistant's");
        }
        return new TrainingExample.Completion(user, last.text());
    }

    /**
     * Writes the head under the run's training folder ({@code deferral-head/deferral_head.gguf} and
     * its manifest, which names the generator to pair it with and how a later run loads it).
     */
    private void save(MethodContext context, DeferralHead head, LogitsModel generator, String generatorSpec, LogitsModel mentor, int rows) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("generator", generator.name());
        d.put("generator_identity", generator.identity());
        if (generatorSpec != null) d.put("generator_spec", generatorSpec);
        d.put("mentor", mentor.name());
        d.put("mentor_identity", mentor.identity());
        d.put("hidden_size", head.weights().length);
        d.put("rows", rows);
        d.put("load_with", "hyperparameter deferral_head = this folder or its deferral_head.gguf, model 0 = generator_spec, model 1 = the mentor");
        context.saveArtifact("deferral-head", "deferral_head.gguf", f -> head.writeGguf(f, generator.name()), d);
    }

    /** The trained pair: the generator to decode with (and its spec when it was fine-tuned), the head, the rows trained on. */
    private record Trained(LogitsModel generator, String generatorSpec, DeferralHead head, int rows) {}

    /**
     * Co-LLM's training. Both models read every reference completion of the untrained pool
     * (labels, mentor probabilities); then {@code joint}: the head's initialisation search on the
     * labels and one DEFERRAL job training the generator's LoRA and the head together, or
     * {@code separate}: generator SFT, the rows read again, and both head phases. The marginal NLL
     * of the untrained pool (σ = ½) and of the trained pair goes to the trace, on the training rows
     * and on the {@code heldout_num} held-out ones.
     */
    private Trained train(MethodContext context, LogitsModel generator, LogitsModel mentor) {
        List<TrainingExample.Completion> all = rows(context);
        int held = h.getInt("heldout_num");
        if (held >= all.size()) {
            throw new IllegalArgumentException("method " + NAME + ": heldout_num " + held + " leaves no training rows of the " + all.size() + " read");
        }
        List<TrainingExample.Completion> rows = all.subList(0, all.size() - held), heldout = all.subList(all.size() - held, all.size());
        int maxLen = h.asMap().get("max_seq_length") != null ? h.getInt("max_seq_length") : h.getInt("max_sequence_length");
        boolean tune = h.getBoolean("train_generator"), joint = tune && h.getString("training_objective").equals("joint");
        List<List<DeferralHead.Point>> before = context.parallel(all, r -> points(context, generator, mentor, r, maxLen));
        int hidden = generator.hiddenSize(), steps = h.getInt("head_steps");
        double balance = h.getDouble("deferral_weight_balance"), headRate = h.getDouble("head_learning_rate");
        LogitsModel tuned = generator;
        String spec = null;
        DeferralHead head;
        List<Double> labelLosses, marginalLosses;
        if (joint) {
            DeferralHead.Fit init = DeferralHead.fit(flat(before.subList(0, rows.size())), hidden, balance, steps, 0, headRate);
            double[] start = new double[hidden + 1], out = new double[hidden + 1];
            System.arraycopy(init.head().weights(), 0, start, 0, hidden);
            start[hidden] = init.head().bias();
            List<float[]> mentorLogp = new ArrayList<>();
            for (List<DeferralHead.Point> row : before.subList(0, rows.size())) {
                float[] q = new float[row.size()];
                for (int i = 0; i < q.length; i++) q[i] = (float) Math.log(Math.max(row.get(i).mentorProbability(), 1e-30));
                mentorLogp.add(q);
            }
            DeferralTarget target = new DeferralTarget(mentorLogp, start, h.getDouble("joint_head_learning_rate"), v -> System.arraycopy(v, 0, out, 0, v.length));
            TrainedModel ft = context.fineTune(generator, "generator", request(TrainingObjective.DEFERRAL, rows, context).option("max_length", maxLen)
                    .deferral(target).build());
            tuned = (LogitsModel) ft.model();
            spec = ft.spec();
            head = new DeferralHead(java.util.Arrays.copyOf(out, hidden), out[hidden]);
            labelLosses = init.labelLosses();
            marginalLosses = ft.losses();
        } else {
            if (tune) {
                TrainedModel ft = context.fineTune(generator, "generator", request(TrainingObjective.SFT, rows, context).build());
                tuned = (LogitsModel) ft.model();
                spec = ft.spec();
            }
            LogitsModel g = tuned;
            List<List<DeferralHead.Point>> labelled = tune ? context.parallel(rows, r -> points(context, g, mentor, r, maxLen)) : before.subList(0, rows.size());
            DeferralHead.Fit fit = DeferralHead.fit(flat(labelled), hidden, balance, steps, steps, headRate);
            head = fit.head();
            labelLosses = fit.labelLosses();
            marginalLosses = fit.marginalLosses();
        }
        LogitsModel g = tuned;
        List<List<DeferralHead.Point>> after = tune ? context.parallel(all, r -> points(context, g, mentor, r, maxLen)) : before;
        List<DeferralHead.Point> trainAfter = flat(after.subList(0, rows.size())), heldAfter = flat(after.subList(rows.size(), all.size()));
        DeferralHead zero = DeferralHead.zero(hidden);
        int positives = 0;
        for (DeferralHead.Point p : flat(before.subList(0, rows.size()))) positives += p.label();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("training_objective", !tune ? "head only" : joint ? "joint" : "separate");
        t.put("rows", rows.size());
        t.put("heldout_rows", heldout.size());
        t.put("tokens", trainAfter.size());
        t.put("deferral_labels", positives);
        t.put("label_losses", labelLosses);
        t.put("marginal_losses", marginalLosses);
        t.put("untrained_pool_nll", zero.marginalNll(flat(before.subList(0, rows.size()))));
        t.put("trained_nll", head.marginalNll(trainAfter));
        t.put("marginal_nll_untrained_head", zero.marginalNll(trainAfter));
        t.put("marginal_nll_trained_head", head.marginalNll(trainAfter));
        t.put("generator_only_nll", generatorOnly(trainAfter));
        if (!heldout.isEmpty()) {
            t.put("heldout_untrained_pool_nll", zero.marginalNll(flat(before.subList(rows.size(), all.size()))));
            t.put("heldout_trained_nll", head.marginalNll(heldAfter));
            t.put("heldout_generator_only_nll", generatorOnly(heldAfter));
        }
        List<Double> w = new ArrayList<>();
        for (double v : head.weights()) w.add(v);
        t.put("weights", w);
        t.put("bias", head.bias());
        context.trace().record("deferral_head", t);
        return new Trained(tuned, spec, head.asFloat32(), rows.size());
    }

    private FineTuneRequest.Builder request(TrainingObjective objective, List<TrainingExample.Completion> rows, MethodContext context) {
        return FineTuneRequest.builder(objective, new ArrayList<>(rows)).epochs(h.getInt("sft_epochs")).steps(h.getInt("sft_max_steps"))
                .learningRate(h.getDouble("sft_learning_rate")).loraRank(h.getInt("lora_rank")).seed(context.settings().seed()).suffix("collm");
    }

    private static List<DeferralHead.Point> flat(List<List<DeferralHead.Point>> per) {
        List<DeferralHead.Point> out = new ArrayList<>();
        per.forEach(out::addAll);
        return out;
    }

    /** Mean {@code −log p_generator} of the reference tokens (the generator alone). */
    private static double generatorOnly(List<DeferralHead.Point> points) {
        double s = 0;
        for (DeferralHead.Point p : points) s += -Math.log(Math.max(p.generatorProbability(), 1e-300));
        return points.isEmpty() ? 0 : s / points.size();
    }

    /** The teacher-forced tokens of one row's completion with their labels. */
    private static List<DeferralHead.Point> points(MethodContext context, LogitsModel generator, LogitsModel mentor,
                                                   TrainingExample.Completion row, int maxLen) {
        List<ChatMessage> prompt = List.of(ChatMessage.user(row.prompt()));
        int[] full = generator.encodeChat(List.of(ChatMessage.user(row.prompt()), ChatMessage.assistant(row.completion())), false);
        int start = generator.encodeChat(prompt, true).length;
        List<DeferralHead.Point> out = new ArrayList<>();
        try (LocalDecoder g = LocalDecoder.open(context, generator, prompt); LocalDecoder m = LocalDecoder.open(context, mentor, prompt)) {
            for (int i = start; i < Math.min(full.length, maxLen); i++) {
                int ref = full[i];
                float[] gl = g.logits(), ml = m.logits();
                float[] pg = Distributions.logSoftmax(gl), pm = Distributions.logSoftmax(ml);
                boolean mentorRight = LocalDecoder.pick(ml, 0, 1, null) == ref, generatorRight = LocalDecoder.pick(gl, 0, 1, null) == ref;
                out.add(new DeferralHead.Point(g.lastHiddenState(), mentorRight && !generatorRight ? 1 : 0, Math.exp(pg[ref]), Math.exp(pm[ref])));
                g.accept(ref);
                m.accept(ref);
            }
        }
        return out;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "a small generator trained with a deferral head hands single tokens to a large mentor when the head says so";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public CoLlm create(Hyperparameters hp) { return new CoLlm(this, hp); }
    }
}
