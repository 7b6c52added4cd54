package io.mocoj.methods.testing;

import io.mocoj.model.AdapterModel;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenUsage;
import io.mocoj.model.WeightsModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated model for weight-method tests: its weights are one tensor {@code theta}, and its
 * quality is {@code q = max(0, 1 − ‖theta − optimum‖ / radius)}: on a split of {@code n} examples
 * it answers example {@code i} (from the {@code [id:split-i]} tag) correctly exactly when
 * {@code i < round(q·n)}, so its dev score is {@code round(q·n)/n}, a known function of its weights.
 * As an {@link AdapterModel} its "adapter" is theta itself on a zero base: composing weights models
 * is {@code Σ wᵢ thetaᵢ}.
 */
public record VectorModel(String name, float[] theta, float[] optimum, double radius, Map<String, String> gold, Map<String, Integer> splitSize)
        implements AdapterModel {
    private static final Pattern ID = Pattern.compile("\\[id:(\\w+)-(\\d+)]");

    public static VectorModel of(String name, Task task, float[] optimum, double radius, float... theta) {
        Map<String, String> gold = new HashMap<>();
        for (Example e : McqTasks.all(task)) gold.put(e.id(), e.answer());
        return new VectorModel(name, theta, optimum, radius, gold, Map.of("dev", task.dev().size(), "test", task.test().size()));
    }

    public double quality() {
        double d = 0;
        for (int i = 0; i < theta.length; i++) d += (theta[i] - optimum[i]) * (double) (theta[i] - optimum[i]);
        return Math.max(0, 1 - Math.sqrt(d) / radius);
    }

    /** The dev score this model must get. */
    public double expectedDevScore() {
        int n = splitSize.get("dev");
        return Math.round(quality() * n) / (double) n;
    }

    @Override public Set<Capability> capabilities() { return EnumSet.of(Capability.TEXT, Capability.WEIGHTS); }

    @Override public boolean simulated() { return true; }

    @Override public String identity() { return "vector:" + name + ":" + java.util.Arrays.toString(theta); }

    @Override
    public Generation generate(GenerationRequest request) {
        Matcher m = ID.matcher(request.lastUserText());
        if (!m.find()) throw new IllegalArgumentException("no [id:…] tag in the prompt");
        String id = m.group(1) + "-" + m.group(2);
        int i = Integer.parseInt(m.group(2)), n = splitSize.get(m.group(1));
        String right = gold.get(id);
        String answer = i < Math.round(quality() * n) ? right : (right.equals("A") ? "B" : "A");
        return new Generation(answer, FinishReason.STOP, new TokenUsage(10, 1), List.of(), List.of());
    }

    @Override public List<String> tensorNames() { return List.of("theta"); }

    @Override public int[] shape(String tensorName) { return new int[] {theta.length}; }

    @Override public float[] tensor(String tensorName) { return theta.clone(); }

    @Override public String architectureFingerprint() { return "vector-" + theta.length; }

    @Override
    public VectorModel withTensors(String newName, Map<String, float[]> replacements) {
        return new VectorModel(newName, replacements.getOrDefault("theta", theta).clone(), optimum, radius, gold, splitSize);
    }

    @Override public String baseIdentity() { return "vector-base-" + theta.length; }

    @Override
    public VectorModel composeAdapters(String newName, List<? extends AdapterModel> models, double[] weights) {
        float[] t = new float[theta.length];
        for (int k = 0; k < models.size(); k++) {
            float[] other = ((VectorModel) models.get(k)).theta;
            for (int i = 0; i < t.length; i++) t[i] += (float) (weights[k] * other[i]);
        }
        return withTensors(newName, Map.of("theta", t));
    }
}
