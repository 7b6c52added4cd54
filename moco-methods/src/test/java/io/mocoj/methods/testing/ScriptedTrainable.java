package io.mocoj.methods.testing;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainableModel;
import io.mocoj.train.TrainingProgress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted (simulated) trainable model for tests of the training methods' data building: replies
 * come from a function of the request; {@link #fineTune} records the request, reports one step with
 * loss 0 and returns a copy named {@code NAME-SUFFIX} that replies with the same script. Nothing
 * is learnt.
 */
public final class ScriptedTrainable implements TrainableModel {
    private final String name;
    private final Function<GenerationRequest, String> script;
    private final List<FineTuneRequest> requests;

    public ScriptedTrainable(String name, Function<GenerationRequest, String> script) {
        this(name, script, new CopyOnWriteArrayList<>());
    }

    private ScriptedTrainable(String name, Function<GenerationRequest, String> script, List<FineTuneRequest> requests) {
        this.name = name;
        this.script = script;
        this.requests = requests;
    }

    /** Every fine-tuning request made to this model or any model trained from it, in order. */
    public List<FineTuneRequest> requests() { return requests; }

    @Override public String name() { return name; }

    @Override public Set<Capability> capabilities() { return EnumSet.of(Capability.TEXT, Capability.TRAIN); }

    @Override public boolean simulated() { return true; }

    @Override public String identity() { return "scripted-trainable:" + name; }

    @Override public Generation generate(GenerationRequest request) { return Generation.of(script.apply(request)); }

    @Override
    public ModelEndpoint fineTune(FineTuneRequest request) {
        requests.add(request);
        request.listener().accept(new TrainingProgress(1, 1, 0.0, request.learningRate(), 0.0, Double.NaN, Duration.ZERO, Map.of()));
        return new ScriptedTrainable(name + "-" + request.suffix(), script, requests);
    }

    /** The last user message of a request. */
    public static String prompt(GenerationRequest r) { return r.messages().get(r.messages().size() - 1).text(); }
}
