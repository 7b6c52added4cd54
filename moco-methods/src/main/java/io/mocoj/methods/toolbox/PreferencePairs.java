package io.mocoj.methods.toolbox;

import io.mocoj.train.TrainingExample;
import java.util.ArrayList;
import java.util.List;

/** DPO training pairs from judged duels: the better-scored response is chosen, the other rejected; ties are dropped. */
public final class PreferencePairs {
    private PreferencePairs() {}

    /** A judged duel: one prompt, two models' responses and their (aggregated) scores. */
    public record Duel(String prompt, String modelA, String modelB, String responseA, String responseB, double scoreA, double scoreB) {}

    /** The pairs built and how many duels were ties (equal scores) or unusable (a missing response). */
    public record Result(List<TrainingExample.Preference> pairs, int ties, int unusable) {
        public Result {
            pairs = List.copyOf(pairs);
        }
    }

    public static Result build(List<Duel> duels) {
        List<TrainingExample.Preference> out = new ArrayList<>();
        int ties = 0, unusable = 0;
        for (Duel d : duels) {
            if (d.responseA() == null || d.responseB() == null || !Double.isFinite(d.scoreA()) || !Double.isFinite(d.scoreB())) {
                unusable++;
            } else if (d.scoreA() == d.scoreB()) {
                ties++;
            } else if (d.scoreA() > d.scoreB()) {
                out.add(new TrainingExample.Preference(d.prompt(), d.responseA(), d.responseB()));
            } else {
                out.add(new TrainingExample.Preference(d.prompt(), d.responseB(), d.responseA()));
            }
        }
        return new Result(out, ties, unusable);
    }
}
