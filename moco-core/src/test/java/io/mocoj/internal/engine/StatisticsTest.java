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
