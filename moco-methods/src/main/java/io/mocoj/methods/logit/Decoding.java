package io.mocoj.methods.logit;

import io.mocoj.method.GenerationSettings;
import io.mocoj.method.MethodContext;
import io.mocoj.methods.toolbox.LockStepDecoding;
import java.util.List;

/** The run's generation settings as lock-step decoding settings (one seed per test example). */
final class Decoding {
    private Decoding() {}

    static LockStepDecoding.Settings settings(MethodContext context, int exampleIndex) {
        GenerationSettings s = context.settings();
        List<String> stop = s.request("").build().stop();
        return new LockStepDecoding.Settings(s.maxResponseLength(), s.temperature(), s.topP(), s.seed() * 1_000_003L + exampleIndex, stop);
    }
}
