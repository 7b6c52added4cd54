package io.mocoj.methods.toolbox;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.ParameterSpec;
import java.util.List;

/**
 * The swarm hyperparameters of a method, under the names that method uses in MoCo (its two weight
 * methods spell them differently: {@code cognitive_coeff} vs {@code cognitive_coefficient}, …),
 * with MoCo's defaults, read into a {@link ParticleSwarm} with MoCo's update rule
 * ({@link ParticleSwarm.Rule#MODEL_SWARMS}).
 */
public record SwarmParameters(String inertia, String cognitive, String social, String repel, String repelTerm, String weightRandomness) {
    /** weight_dare_ties' names. */
    public static final SwarmParameters SHORT = new SwarmParameters("inertia", "cognitive_coeff", "social_coeff", "repel_coeff",
            "repel_term", "weight_randomness");
    /** weight_model_swarms' names. */
    public static final SwarmParameters LONG = new SwarmParameters("inertia", "cognitive_coefficient", "social_coefficient",
            "repel_coefficient", "repel_term_flag", "weight_randomness_flag");

    public List<ParameterSpec> specs() {
        return List.of(
                ParameterSpec.real(inertia, 0.2, 0.0, 10.0, "swarm: weight of the particle's own velocity"),
                ParameterSpec.real(cognitive, 0.3, 0.0, 10.0, "swarm: pull towards the particle's best"),
                ParameterSpec.real(social, 0.4, 0.0, 10.0, "swarm: pull towards the global best"),
                ParameterSpec.real(repel, 0.05, 0.0, 10.0, "swarm: push away from the global worst"),
                ParameterSpec.bool(repelTerm, true, "swarm: use the repel term"),
                ParameterSpec.bool(weightRandomness, true, "swarm: random factors on the four weights"),
                ParameterSpec.real("step_length", 0.5, 0.0, 10.0, "swarm: step along the velocity"),
                ParameterSpec.real("step_length_factor", 0.95, 0.0, 1.0, "swarm: step decay per iteration"),
                ParameterSpec.real("minimum_step_length", 0.1, 0.0, 10.0, "swarm: smallest step"),
                ParameterSpec.integer("patience", 5, 1, 1000, "swarm: stop after this many iterations without a better global best"),
                ParameterSpec.integer("restart_patience", 3, 1, 1000, "swarm: restart a particle stuck this long"));
    }

    /** The swarm these hyperparameters describe, with MoCo's Model Swarms update rule. */
    public ParticleSwarm read(Hyperparameters h) {
        return ParticleSwarm.builder().rule(ParticleSwarm.Rule.MODEL_SWARMS)
                .inertia(h.getDouble(inertia)).cognitive(h.getDouble(cognitive)).social(h.getDouble(social))
                .repel(h.getBoolean(repelTerm) ? h.getDouble(repel) : 0)
                .step(h.getDouble("step_length"), h.getDouble("step_length_factor"), h.getDouble("minimum_step_length"))
                .patience(h.getInt("patience")).restartPatience(h.getInt("restart_patience"))
                .weightRandomness(h.getBoolean(weightRandomness)).build();
    }
}
