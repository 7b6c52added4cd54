package io.mocoj.methods.toolbox;

import io.mocoj.methods.toolbox.merge.Architectures;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.WeightsModel;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pool checks and base-model lookup shared by the weight-level methods. */
public final class WeightPools {
    private WeightPools() {}

    /** The pool as weights models of one architecture, or an error naming the model or the first differing tensor. */
    public static List<WeightsModel> sameArchitecture(String method, List<ModelEndpoint> models) {
        List<WeightsModel> out = new ArrayList<>();
        for (ModelEndpoint m : models) {
            if (!(m instanceof WeightsModel w)) {
                throw new IllegalArgumentException("method " + method + " needs capability WEIGHTS from model '" + m.name()
                        + "', which does not expose its weights: use in-process models (gguf:) for every model of the pool");
            }
            out.add(w);
        }
        try {
            Architectures.checkSame(out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method " + method + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * {@code base_model_name}: the pool model of that name, or else a model spec (e.g.
     * {@code gguf:/models/base.gguf}) resolved here; it must have the pool's architecture.
     */
    public static WeightsModel base(String method, String baseModelName, List<WeightsModel> pool) {
        if (baseModelName == null || baseModelName.isBlank()) {
            throw new IllegalArgumentException("method " + method + " needs hyperparameter base_model_name: the name of a pool model or a"
                    + " model spec such as gguf:/models/base.gguf");
        }
        for (WeightsModel m : pool) if (m.name().equals(baseModelName)) return m;
        ModelEndpoint resolved;
        try {
            resolved = ModelSpecs.resolve(baseModelName, new SpecContext(Optional.empty(), 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method " + method + ": base_model_name '" + baseModelName + "' is neither a pool model nor a"
                    + " usable model spec: " + e.getMessage(), e);
        }
        if (!(resolved instanceof WeightsModel w)) {
            throw new IllegalArgumentException("method " + method + ": base_model_name '" + baseModelName + "' does not expose its weights");
        }
        List<WeightsModel> all = new ArrayList<>(pool);
        all.add(0, w);
        try {
            Architectures.checkSame(all);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method " + method + ": base model: " + e.getMessage(), e);
        }
        return w;
    }
}
