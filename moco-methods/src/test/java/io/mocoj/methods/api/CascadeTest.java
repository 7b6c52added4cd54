package io.mocoj.methods.api;

import static io.mocoj.methods.testing.Reports.Z99;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.OracleModel;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.Role;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CascadeTest {
    // weak model: perfectly calibrated, confidence c ~ Uniform[LO, HI], correct with probability c (accuracy 0.6)
    private static final double LO = 0.2, HI = 1.0;
    // strong model: correct with probability 0.75, no log-probabilities (it is last, so it needs none)
    private static final double STRONG = 0.75;
    private static final int DEV = 2000, TEST = 3000;

    /**
     * With threshold t = the (1−p)-quantile of Uniform[LO, HI], the weak model keeps the examples
     * with c ≥ t (share p) and is right on them with probability c, so
     * E[accuracy] = ∫_t^HI c dc / (HI−LO) + (1−p)·STRONG = (HI² − t²) / (2(HI−LO)) + (1−p)·STRONG,
     * and the strong model answers a share 1−p of the test examples.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 0.8})
    void calibratedCascadeReachesTheAnalyticAccuracyAndStrongModelShare(double percentage) {
        Task task = McqTasks.generate("mcq", DEV, TEST, List.of("general"), 21);
        List<Example> all = McqTasks.all(task);
        OracleModel weak = OracleModel.calibrated("weak", all, LO, HI, 7);
        OracleModel strong = OracleModel.withAccuracy("strong", all, e -> STRONG, 8);
        RunReport r = MoCo.run().models(weak, strong).method(Methods.cascade().mode(CascadeMode.LOGIT).percentage(percentage))
                .task(task).evaluator(new LetterEvaluator()).seed(3).execute();

        double t = LO + (HI - LO) * (1 - percentage);
        double expected = (HI * HI - t * t) / (2 * (HI - LO)) + (1 - percentage) * STRONG;

        // the dev threshold is the empirical quantile of DEV draws: sd ≈ sqrt(q(1−q)/DEV) / density
        double thresholdSd = Math.sqrt(percentage * (1 - percentage) / DEV) * (HI - LO);
        @SuppressWarnings("unchecked")
        Map<String, Object> weakThreshold = (Map<String, Object>) ((Map<String, Object>) Reports.runEvent(r, "thresholds").get("models")).get("weak");
        double measuredThreshold = (Double) weakThreshold.get("threshold");
        assertEquals(t, measuredThreshold, Z99 * thresholdSd, "threshold of the weak model");

        // share answered by the strong model: binomial on TEST plus the threshold's own noise (a share error of the same size)
        double deferShare = 1 - percentage;
        double shareSd = Math.sqrt(deferShare * (1 - deferShare) * (1.0 / TEST + 1.0 / DEV));
        long strongCalls = Reports.calls(r, "strong");
        assertEquals(deferShare * TEST, strongCalls, Z99 * shareSd * TEST, "calls to the strong model");
        assertEquals((int) strongCalls, ((Number) Reports.runEvent(r, "answered_by").get("strong")).intValue());
        assertEquals(DEV + TEST, Reports.calls(r, "weak"), "the weak model answers every dev and test example once");

        // accuracy: Bernoulli noise on TEST plus the threshold noise propagated through dE/dt = (STRONG − t)/(HI − LO)
        double dEdt = (STRONG - t) / (HI - LO);
        double accuracySd = Math.sqrt(expected * (1 - expected) / TEST + Math.pow(dEdt * thresholdSd, 2));
        assertEquals(expected, r.meanScore(), Z99 * accuracySd, "cascade accuracy for percentage " + percentage);
    }

    /**
     * The simulated model's documented confidence (= mean token probability) for calibration κ:
     * uniform on [0.2 + 0.6κ, 1) when its answer is correct, on [0.2, 1 − 0.4κ) when wrong.
     */
    record SimConfidence(double accuracy, double kappa) {
        double correctLo() { return 0.2 + 0.6 * kappa; }
        double wrongHi() { return 1 - 0.4 * kappa; }
        /** P(C ≥ t | correct). */
        double aboveCorrect(double t) { return clamp((1 - t) / (1 - correctLo())); }
        /** P(C ≥ t | wrong). */
        double aboveWrong(double t) { return clamp((wrongHi() - t) / (wrongHi() - 0.2)); }
        double above(double t) { return accuracy * aboveCorrect(t) + (1 - accuracy) * aboveWrong(t); }
        double densityCorrect(double t) { return t >= correctLo() && t < 1 ? 1 / (1 - correctLo()) : 0; }
        double density(double t) {
            return accuracy * densityCorrect(t) + (1 - accuracy) * (t >= 0.2 && t < wrongHi() ? 1 / (wrongHi() - 0.2) : 0);
        }
        /** The t with P(C ≥ t) = share, by bisection (P(C ≥ t) decreases in t). */
        double thresholdFor(double share) {
            double lo = 0.2, hi = 1;
            for (int i = 0; i < 200; i++) {
                double mid = (lo + hi) / 2;
                if (above(mid) > share) lo = mid; else hi = mid;
            }
            return (lo + hi) / 2;
        }
        private static double clamp(double v) { return Math.max(0, Math.min(1, v)); }
    }

    @Test
    void simConfidenceHandValues() {
        // κ = 0.5, accuracy 0.6: P(C ≥ t) = 1.2(1 − t) + (2/3)(0.8 − t) on [0.5, 0.8]; = 0.5 at t = 1.2333/1.8667 = 0.66071
        SimConfidence c = new SimConfidence(0.6, 0.5);
        assertEquals(0.660714, c.thresholdFor(0.5), 1e-5);
        assertEquals(0.8, c.aboveCorrect(0.6), 1e-12);
        assertEquals(1.0 / 3, c.aboveWrong(0.6), 1e-12);
    }

    /**
     * Weak simulated model (accuracy 0.6, calibration κ, log-probabilities) then a strong one
     * (accuracy 0.8). With t the population threshold (P(C ≥ t) = p):
     * E[accuracy] = 0.6·P(C ≥ t | correct) + (1 − p)·0.8, and the strong model answers a share 1 − p.
     */
    @ParameterizedTest
    @CsvSource({"0.5, 0.5", "0.5, 0.3", "1.0, 0.5"})
    void simulatedCascadeReachesTheAnalyticAccuracyAndStrongModelShare(double kappa, double percentage) {
        double weakAccuracy = 0.6, strongAccuracy = 0.8;
        Task task = McqTasks.generate("mcq", DEV, TEST, List.of("general"), 41);
        SimulatedModel weak = SimulatedModel.builder(task).name("weak").accuracy(weakAccuracy).calibration(kappa).seed(5).build();
        SimulatedModel strong = SimulatedModel.builder(task).name("strong").accuracy(strongAccuracy).logprobs(false).seed(6).build();
        RunReport r = MoCo.run().models(weak, strong).method(Methods.cascade().percentage(percentage)).task(task).seed(8).execute();

        SimConfidence conf = new SimConfidence(weakAccuracy, kappa);
        double t = conf.thresholdFor(percentage);
        double expected = weakAccuracy * conf.aboveCorrect(t) + (1 - percentage) * strongAccuracy;
        double thresholdSd = Math.sqrt(percentage * (1 - percentage) / DEV) / conf.density(t);

        @SuppressWarnings("unchecked")
        Map<String, Object> weakThreshold = (Map<String, Object>) ((Map<String, Object>) Reports.runEvent(r, "thresholds").get("models")).get("sim:weak");
        assertEquals(t, (Double) weakThreshold.get("threshold"), Z99 * thresholdSd, "threshold of the weak model");

        double deferShare = 1 - percentage;
        double shareSd = Math.sqrt(deferShare * (1 - deferShare) * (1.0 / TEST + 1.0 / DEV));
        assertEquals(deferShare * TEST, Reports.calls(r, "sim:strong"), Z99 * shareSd * TEST, "calls to the strong model");

        double dEdt = -weakAccuracy * conf.densityCorrect(t) + conf.density(t) * strongAccuracy;
        double accuracySd = Math.sqrt(expected * (1 - expected) / TEST + Math.pow(dEdt * thresholdSd, 2));
        assertEquals(expected, r.meanScore(), Z99 * accuracySd, "cascade accuracy, κ " + kappa + ", percentage " + percentage);
    }

    /**
     * Just ask: the simulated model says it is not confident exactly when its confidence is below
     * {@code unsure_below} u = 0.6, so it keeps a share P(C ≥ u) and
     * E[accuracy] = 0.6·P(C ≥ u | correct) + P(C < u)·0.8 (κ = 0.5: 0.48 + 0.3867·0.8 = 0.7893).
     */
    @Test
    void simulatedJustAskCascadeReachesTheAnalyticAccuracy() {
        double weakAccuracy = 0.6, strongAccuracy = 0.8, kappa = 0.5, unsure = 0.6;
        Task task = McqTasks.generate("mcq", 0, TEST, List.of("general"), 43);
        SimulatedModel weak = SimulatedModel.builder(task).name("weak").accuracy(weakAccuracy).calibration(kappa)
                .unsureBelow(unsure).logprobs(false).seed(5).build();
        SimulatedModel strong = SimulatedModel.builder(task).name("strong").accuracy(strongAccuracy).logprobs(false).seed(6).build();
        RunReport r = MoCo.run().models(weak, strong).method(Methods.cascade().mode(CascadeMode.JUST_ASK)).task(task).seed(8).execute();

        SimConfidence conf = new SimConfidence(weakAccuracy, kappa);
        double kept = conf.above(unsure);
        double expected = weakAccuracy * conf.aboveCorrect(unsure) + (1 - kept) * strongAccuracy;
        assertEquals(0.78933, expected, 1e-4, "hand value");
        assertEquals(expected, r.meanScore(), Z99 * Math.sqrt(expected * (1 - expected) / TEST), "just-ask cascade accuracy");
        assertEquals((1 - kept) * TEST, Reports.calls(r, "sim:strong"), Z99 * Math.sqrt(kept * (1 - kept) * TEST), "strong calls");
        assertEquals(2L * TEST, Reports.calls(r, "sim:weak"), "an answer and a confidence question per example");
    }

    @Test
    void eachExampleTracesConfidencesAndDeferrals() {
        Task task = McqTasks.generate("mcq", 50, 20, List.of("general"), 4);
        List<Example> all = McqTasks.all(task);
        RunReport r = MoCo.run().models(OracleModel.calibrated("weak", all, LO, HI, 1), OracleModel.withAccuracy("strong", all, e -> 1.0, 2))
                .method(Methods.cascade()).task(task).evaluator(new LetterEvaluator()).execute();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> c = Reports.exampleEvent(r, i, "cascade");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> steps = (List<Map<String, Object>>) c.get("steps");
            Map<String, Object> first = steps.get(0);
            boolean deferred = (Boolean) first.get("deferred");
            assertEquals(deferred, (Double) first.get("confidence") < (Double) first.get("threshold"));
            assertEquals(deferred ? "strong" : "weak", c.get("answered_by"));
            assertEquals(deferred ? 2 : 1, steps.size());
            if (deferred) assertEquals(1.0, r.examples().get(i).score(), "the strong model is always right here");
        }
    }

    @Test
    void logitModeNamesTheModelWithoutLogprobs() {
        Task task = McqTasks.generate("mcq", 5, 5, List.of("general"), 4);
        List<Example> all = McqTasks.all(task);
        ModelEndpoint plain = OracleModel.withAccuracy("plain-text-model", all, e -> 0.5, 1);
        ModelEndpoint calibrated = OracleModel.calibrated("calibrated", all, LO, HI, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run()
                .models(plain, calibrated).method(Methods.cascade()).task(task).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("'plain-text-model'") && e.getMessage().contains("LOGPROBS")
                && e.getMessage().contains("api_cascade"), e.getMessage());
        // the last model always answers, so it needs no log-probabilities; just_ask needs none at all
        MoCo.run().models(calibrated, plain).method(Methods.cascade()).task(task).evaluator(new LetterEvaluator()).build();
        MoCo.run().models(plain, calibrated).method(Methods.cascade().mode(CascadeMode.JUST_ASK)).task(task)
                .evaluator(new LetterEvaluator()).build();
    }

    @Test
    void logitModeWithoutDevExamplesFailsClearly() {
        Task task = McqTasks.generate("nodev", 0, 3, List.of("general"), 4);
        List<Example> all = McqTasks.all(task);
        Exception e = assertThrows(Exception.class, () -> MoCo.run()
                .models(OracleModel.calibrated("w", all, LO, HI, 1), OracleModel.withAccuracy("s", all, x -> 1.0, 2))
                .method(Methods.cascade()).task(task).evaluator(new LetterEvaluator()).execute());
        String chain = e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
        assertTrue(chain.contains("has no dev examples"), chain);
    }

    @Test
    void justAskDefersExactlyWhenTheModelSaysNo() {
        Task task = McqTasks.generate("mcq", 0, 10, List.of("general"), 4);
        // the weak model answers A; asked about its confidence (third message) it says "No" on even test ids
        ScriptedModel weak = ScriptedModel.text("weak", req -> {
            if (req.messages().size() == 3) {
                assertEquals(Role.ASSISTANT, req.messages().get(1).role());
                assertEquals("weak answer A", req.messages().get(1).text());
                String id = req.messages().get(0).text().replaceAll("(?s).*\\[id:test-(\\d+)].*", "$1");
                return Integer.parseInt(id) % 2 == 0 ? "No." : "Yes, I am.";
            }
            return "weak answer A";
        });
        ScriptedModel strong = ScriptedModel.text("strong", req -> "strong answer B");
        RunReport r = MoCo.run().models(weak, strong).method(Methods.cascade().mode(CascadeMode.JUST_ASK))
                .task(task).evaluator(new LetterEvaluator()).execute();
        for (int i = 0; i < 10; i++) {
            assertEquals(i % 2 == 0 ? "strong answer B" : "weak answer A", r.examples().get(i).output(), "example " + i);
        }
        assertEquals(5, Reports.calls(r, "strong"));
        assertEquals(20, Reports.calls(r, "weak"), "an answer and a confidence question per example");
    }

    @Test
    void aFailingWeakModelDefersInsteadOfFailingTheExample() {
        Task task = McqTasks.generate("mcq", 0, 12, List.of("general"), 4);
        SimulatedModel broken = SimulatedModel.builder(task).name("broken").failure(io.mocoj.sim.FailureMode.FORBIDDEN).build();
        SimulatedModel strong = SimulatedModel.builder(task).name("strong").accuracy(1.0).build();
        RunReport r = MoCo.run().models(broken, strong).method(Methods.cascade().mode(CascadeMode.JUST_ASK)).task(task)
                .onModelFailure(io.mocoj.ModelFailurePolicy.CONTINUE).execute();
        assertEquals("degraded", r.status());
        assertEquals(0, r.summary().failed());
        assertEquals(1.0, r.meanScore(), 1e-12);
        Map<String, Object> c = Reports.exampleEvent(r, 0, "cascade");
        assertEquals("sim:strong", c.get("answered_by"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) c.get("steps");
        assertTrue(((String) steps.get(0).get("error")).contains("403"), steps.toString());
    }

    @Test
    void logitModeFailsClearlyWhenNoDevCallOfAModelSucceeds() {
        Task task = McqTasks.generate("mcq", 5, 5, List.of("general"), 4);
        SimulatedModel broken = SimulatedModel.builder(task).name("broken").failure(io.mocoj.sim.FailureMode.FORBIDDEN).build();
        SimulatedModel strong = SimulatedModel.builder(task).name("strong").build();
        Exception e = assertThrows(Exception.class, () -> MoCo.run().models(broken, strong).method(Methods.cascade()).task(task).execute());
        String chain = e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
        assertTrue(chain.contains("every dev call of model 'sim:broken' failed"), chain);
    }

    @Test
    void modesParseTheirConfigNames() {
        assertEquals(CascadeMode.JUST_ASK, CascadeMode.fromConfigName("just_ask"));
        assertEquals("unknown cascade mode 'ask'; accepted: [logit, just_ask]",
                assertThrows(IllegalArgumentException.class, () -> CascadeMode.fromConfigName("ask")).getMessage());
    }

    /**
     * Calibrated to a strong share of 0.3 (weak: accuracy 0.6, κ 0.5, price 1; strong: 0.8, price
     * 10): on dev the last model gets 0.3·n ± 1 queries; on test its share lies in the 99%
     * interval around 0.3 (dev threshold and test sampling errors added). On the dev curve the
     * point sending everything on costs both models' calls, the one sending nothing the weak
     * model's alone.
     */
    @Test
    void calibratedCascadeMeetsTheStrongShareAndPaysForEveryModelItTries() {
        int dev = 500, test = 500;
        Task task = McqTasks.generate("mcq", dev, test, List.of("general"), 43);
        SimulatedModel weak = SimulatedModel.builder(task).name("weak").accuracy(0.6).calibration(0.5)
                .pricing(io.mocoj.model.ModelPricing.perMillionTokens(1, 1)).seed(5).build();
        SimulatedModel strong = SimulatedModel.builder(task).name("strong").accuracy(0.8).logprobs(false)
                .pricing(io.mocoj.model.ModelPricing.perMillionTokens(10, 10)).seed(6).build();
        double share = 0.3;
        RunReport r = MoCo.run().models(weak, strong).method(Methods.cascade().calibrate(io.mocoj.methods.toolbox.CalibrationTarget.strongShare(share)))
                .task(task).seed(8).execute();
        Map<String, Object> cal = Reports.runEvent(r, "calibration");
        assertEquals("sim:strong", cal.get("strong_model"));
        double devShare = ((Number) ((Map<?, ?>) cal.get("chosen")).get("strong_share")).doubleValue();
        assertTrue(Math.abs(devShare - share) * dev <= 1, "dev strong share " + devShare);
        int answeredByStrong = ((Number) Reports.runEvent(r, "answered_by").get("sim:strong")).intValue();
        assertEquals(share * test, answeredByStrong, Z99 * Math.sqrt(share * (1 - share) * (1.0 / test + 1.0 / dev)) * test,
                "test queries answered by the strong model");
        assertEquals(dev + answeredByStrong, Reports.calls(r, "sim:strong"), "calibration adds the strong model's dev answers");
        List<?> curve = (List<?>) cal.get("curve");
        Map<?, ?> singles = (Map<?, ?>) cal.get("single_models");
        double weakCost = ((Number) ((Map<?, ?>) singles.get("sim:weak")).get("cost_per_1k")).doubleValue();
        double strongCost = ((Number) ((Map<?, ?>) singles.get("sim:strong")).get("cost_per_1k")).doubleValue();
        assertEquals(weakCost, ((Number) ((Map<?, ?>) curve.get(0)).get("cost_per_1k")).doubleValue(), 1e-9, "nothing deferred");
        Map<?, ?> all = (Map<?, ?>) curve.get(curve.size() - 1);
        assertEquals(1.0, ((Number) all.get("strong_share")).doubleValue(), 1e-12);
        assertEquals(weakCost + strongCost, ((Number) all.get("cost_per_1k")).doubleValue(), 1e-9, "everything deferred: both calls paid");
        var e = assertThrows(IllegalArgumentException.class, () -> Methods.cascade().mode(CascadeMode.JUST_ASK)
                .calibrate(io.mocoj.methods.toolbox.CalibrationTarget.strongShare(0.3)));
        assertTrue(e.getMessage().contains("needs mode logit"), e.getMessage());
    }
}
