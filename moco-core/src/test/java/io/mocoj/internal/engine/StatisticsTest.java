package io.mocoj.internal.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.RunReport.Interval;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void bootstrapIntervalOfABernoulliMeanMatchesTheNormalApproximation() {
        // 600 ones and 400 zeros: mean 0.6, standard error sqrt(0.6*0.4/1000) = 0.015492, 95% half-width 1.96*se = 0.030364
        double[] xs = new double[1000];
        for (int i = 0; i < 600; i++) xs[i] = 1;
        Interval ci = Statistics.bootstrapMean(xs, 4000, 0.95, 7);
        assertEquals(0.6 - 0.030364, ci.low(), 0.004);
        assertEquals(0.6 + 0.030364, ci.high(), 0.004);
    }

    @Test
    void exactBinaryIntervalAgreesWithManyResamples() {
        double[] xs = new double[300];
        for (int i = 0; i < 201; i++) xs[i] = 1;
        Interval exact = Statistics.bootstrapMean(xs, 2000, 0.95, 7);
        Interval sampled = Statistics.resampled(xs, 40_000, 0.95, 7);
        assertEquals(sampled.low(), exact.low(), 1.0 / 300 + 1e-9);
        assertEquals(sampled.high(), exact.high(), 1.0 / 300 + 1e-9);
    }

    @Test
    void binomialQuantilesMatchHandComputedValues() {
        // Binomial(10, 0.5): P(X<=1) = 11/1024 = 0.0107, P(X<=2) = 56/1024 = 0.0547, P(X<=7) = 0.9453, P(X<=8) = 0.9893
        assertEquals(2, Statistics.binomialQuantile(10, 0.5, 0.025));
        assertEquals(8, Statistics.binomialQuantile(10, 0.5, 0.975));
        assertEquals(0, Statistics.binomialQuantile(10, 0.0, 0.975));
        assertEquals(10, Statistics.binomialQuantile(10, 1.0, 0.025));
    }

    @Test
    void nonBinaryScoresAreResampled() {
        double[] xs = new double[1000];
        for (int i = 0; i < 1000; i++) xs[i] = (i % 3) / 2.0; // 0, 0.5, 1: mean 0.5, sd sqrt(1/6) = 0.40825
        Interval ci = Statistics.bootstrapMean(xs, 4000, 0.95, 3);
        double half = 1.96 * Math.sqrt(1.0 / 6) / Math.sqrt(1000); // 0.0253
        assertEquals(0.4995 - half, ci.low(), 0.004);
        assertEquals(0.4995 + half, ci.high(), 0.004);
    }

    @Test
    void constantDataHasADegenerateInterval() {
        Interval ci = Statistics.bootstrapMean(new double[] {1, 1, 1, 1}, 500, 0.95, 1);
        assertEquals(1.0, ci.low());
        assertEquals(1.0, ci.high());
    }

    @Test
    void sameSeedSameInterval() {
        double[] xs = {0, 1, 1, 0, 1, 0, 0, 1, 1, 1};
        assertEquals(Statistics.bootstrapMean(xs, 1000, 0.95, 3), Statistics.bootstrapMean(xs, 1000, 0.95, 3));
    }
}
