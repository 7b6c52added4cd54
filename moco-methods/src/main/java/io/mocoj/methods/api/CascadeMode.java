package io.mocoj.methods.api;

import java.util.Arrays;
import java.util.List;

/** How {@code api_cascade} decides that a model is not confident and the next one should answer. */
public enum CascadeMode {
    /** Confidence = mean token probability of the answer, compared with a per-model threshold set on dev. */
    LOGIT("logit"),
    /** The model is asked, after answering, whether it is confident; "no" defers. */
    JUST_ASK("just_ask");

    private final String configName;

    CascadeMode(String configName) { this.configName = configName; }

    /** The value of {@code mode} in MoCo configs. */
    public String configName() { return configName; }

    static List<String> configNames() { return Arrays.stream(values()).map(CascadeMode::configName).toList(); }

    static CascadeMode fromConfigName(String name) {
        for (CascadeMode m : values()) if (m.configName.equals(name)) return m;
        throw new IllegalArgumentException("unknown cascade mode '" + name + "'; accepted: " + configNames());
    }

    @Override public String toString() { return configName; }
}
