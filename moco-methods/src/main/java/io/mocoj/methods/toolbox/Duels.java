package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.method.ParameterSpec;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SPARTA's duels: two models answer one instruction, every other pool model judges both answers
 * ({@link PeerJudge}), and the duel's scores are the judges' means weighted by their reputations
 * at the start of the iteration (5 and 5 when no judge counts). A duel whose response call failed
 * is kept with a null response and no judgements (it updates nothing and yields no pair).
 */
public final class Duels {
    private Duels() {}

    /** A scheduled duel: instruction {@code instruction} ({@code prompt}) between {@code modelA} (the active model) and {@code modelB}. */
    public record Duel(int id, int instruction, String prompt, String modelA, String modelB, List<String> judges) {
        public Duel {
            judges = List.copyOf(judges);
        }
    }

    /** A played duel. */
    public record Played(Duel duel, String responseA, String responseB, List<PeerJudge.Judgement> judgements, double scoreA, double scoreB) {
        public boolean complete() { return responseA != null && responseB != null && !judgements.isEmpty(); }

        public List<EloRatings.Verdict> verdicts() { return judgements.stream().map(PeerJudge.Judgement::verdict).toList(); }
    }

    /** The judge settings under MoCo's names. */
    public static List<ParameterSpec> judgeParameters() {
        return List.of(
                ParameterSpec.integer("judge_rounds", 1, 1, 100, "times each judge scores each response (scores are averaged)"),
                ParameterSpec.integer("judge_max_response_length", 64, 1, 100_000, "longest judge reply in tokens"),
                ParameterSpec.integer("judge_batch_size", 8, 1, 1_000_000, "MoCo's judge batch size (recorded; the engine schedules the calls)"));
    }

    /**
     * Every duel is played concurrently: both answers at the run's settings, each dueller sampling
     * with its own seed ({@link AgentSampling}, by its pool index), then each judge in turn.
     */
    public static List<Played> play(MethodContext context, List<Duel> duels, Map<String, ModelEndpoint> models, EloRatings reputation,
                                    int judgeRounds, int judgeMaxTokens) {
        return context.parallel(duels, d -> {
            List<String> answers = context.parallel(List.of(d.modelA(), d.modelB()), m -> {
                var g = AgentSampling.askOrNull(context, models.get(m), AgentSampling.indexOf(context, m), d.prompt());
                return g == null ? null : g.text();
            });
            String a = answers.get(0), b = answers.get(1);
            if (a == null || b == null) return new Played(d, a, b, List.of(), Double.NaN, Double.NaN);
            List<PeerJudge.Judgement> js = new ArrayList<>();
            for (String j : d.judges()) js.add(PeerJudge.judge(context, j, models.get(j), d.prompt(), a, b, judgeRounds, judgeMaxTokens));
            double[] s = reputation.weightedScores(d.modelA(), d.modelB(), js.stream().map(PeerJudge.Judgement::verdict).toList());
            return new Played(d, a, b, List.copyOf(js), s == null ? PeerJudge.DEFAULT_SCORE : s[0], s == null ? PeerJudge.DEFAULT_SCORE : s[1]);
        });
    }

    /** Applies every complete duel, in order, to the ratings and returns the ratings after each one. */
    public static List<EloRatings.Snapshot> rate(EloRatings ratings, List<Played> played, Map<String, Double> weights) {
        List<EloRatings.Snapshot> out = new ArrayList<>();
        for (Played p : played) {
            if (!p.complete()) continue;
            ratings.update(p.duel().modelA(), p.duel().modelB(), p.verdicts(), weights);
            out.add(ratings.snapshot());
        }
        return out;
    }

    /** The DPO pairs of the played duels, scored by the judges weighted with the ratings as they are now (MoCo scores pairs after the iteration's updates). */
    public static PreferencePairs.Result pairs(EloRatings ratings, List<Played> played) {
        List<PreferencePairs.Duel> ds = new ArrayList<>();
        for (Played p : played) {
            double[] s = p.complete() ? ratings.weightedScores(p.duel().modelA(), p.duel().modelB(), p.verdicts()) : null;
            ds.add(new PreferencePairs.Duel(p.duel().prompt(), p.duel().modelA(), p.duel().modelB(), p.responseA(), p.responseB(),
                    s == null ? Double.NaN : s[0], s == null ? Double.NaN : s[1]));
        }
        return PreferencePairs.build(ds);
    }
}
