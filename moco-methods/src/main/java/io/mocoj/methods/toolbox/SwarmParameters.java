package io.mocoj.methods.toolbox;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.ParameterSpec;
import java.util.List;

/**
 * The swarm hyperparameters of a method, under the names that method uses in MoCo (its two weight
 * methods spell them differently: {@code cognitive_coeff} vs {@code cognitive_coefficient}, …),
 * with MoCo's defaults ({@link ModelSwarmOptimizer.Settings#DEFAULTS}).
 */
public record SwarmParameters(String inertia, String cognitive, String social, String repel, String repelTerm, String weightRandomness) {
    /** weight_dare_ties' names. */
    public static final SwarmParameters SHORT = new SwarmParameters("inertia", "cognitive_coeff", "social_coeff", "repel_coeff",
            "repel_term", "weight_randomness");
    /** weight_model_swarms' names. */
    public static final SwarmParameters LONG = new SwarmParameters("inertia", "cognitive_coefficient", "social_coefficient",
            "repel_coefficient", "repel_term_flag", "weight_randomness_flag");

    public List<ParameterSpec> specs() {
        ModelSwarmOptimizer.Settings d = ModelSwarmOptimizer.Settings.DEFAULTS;
        return List.of(
                ParameterSpec.real(inertia, d.inertia(), 0.0, 10.0, "swarm: weight of the particle's own velocity"),
                ParameterSpec.real(cognitive, d.cognitive(), 0.0, 10.0, "swarm: pull towards the particle's best"),
                ParameterSpec.real(social, d.social(), 0.0, 10.0, "swarm: pull towards the global best"),
                ParameterSpec.real(repel, d.repel(), 0.0, 10.0, "swarm: push away from the global worst"),
                ParameterSpec.bool(repelTerm, d.repelTerm(), "swarm: use the repel term"),
                ParameterSpec.bool(weightRandomness, d.weightRandomness(), "swarm: random factors on the four weights"),
                ParameterSpec.real("step_length", d.stepLength(), 0.0, 10.0, "swarm: step along the velocity"),
                ParameterSpec.real("step_length_factor", d.stepFactor(), 0.0, 1.0, "swarm: step decay per iteration"),
                ParameterSpec.real("minimum_step_length", d.minStep(), 0.0, 10.0, "swarm: smallest step"),
                ParameterSpec.integer("patience", d.patience(), 1, 1000, "swarm: stop after this many iterations without a better global best"),
                ParameterSpec.integer("restart_patience", d.restartPatience(), 1, 1000, "swarm: restart a particle stuck this long"));
    }

    public ModelSwarmOptimizer.Settings read(Hyperparameters h) {
        return new ModelSwarmOptimizer.Settings(h.getDouble(inertia), h.getDouble(cognitive), h.getDouble(social), h.getDouble(repel),
                h.getDouble("step_length"), h.getDouble("step_length_factor"), h.getDouble("minimum_step_length"),
                h.getInt("patience"), h.getInt("restart_patience"), h.getBoolean(weightRandomness), h.getBoolean(repelTerm));
    }
}
