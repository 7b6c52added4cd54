package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    private static final double[] VALUES = {0.1, 0.4, 0.2, 0.9, 0.5};

    @Test
    void quantileInterpolatesLinearlyBetweenOrderStatistics() {
        // sorted: 0.1 0.2 0.4 0.5 0.9; position q·4 (values as numpy.quantile gives them)
        assertEquals(0.4, Thresholds.quantile(VALUES, 0.5), 1e-12);
        assertEquals(0.2, Thresholds.quantile(VALUES, 0.25), 1e-12);
        assertEquals(0.24, Thresholds.quantile(VALUES, 0.3), 1e-12);
        assertEquals(0.1, Thresholds.quantile(VALUES, 0.0), 1e-12);
        assertEquals(0.9, Thresholds.quantile(VALUES, 1.0), 1e-12);
        assertEquals(0.7, Thresholds.quantile(new double[] {0.7}, 0.3), 1e-12);
    }

    @Test
    void topShareLetsThatShareThrough() {
        // top 40% of five values = the two largest (0.5, 0.9); threshold = 0.6-quantile = 0.4 + 0.4·(0.5−0.4) = 0.44
        double t = Thresholds.topShare(VALUES, 0.4);
        assertEquals(0.44, t, 1e-12);
        assertEquals(2, Arrays.stream(VALUES).filter(v -> v >= t).count());
        assertEquals(0.1, Thresholds.topShare(VALUES, 1.0), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Thresholds.topShare(VALUES, 0.0));
    }

    @Test
    void topShareOnALargeSampleAcceptsTheRequestedShare() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] v = new double[10_001];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextDouble();
        for (double share : new double[] {0.1, 0.3, 0.5, 0.8}) {
            double t = Thresholds.topShare(v, share);
            double passed = Arrays.stream(v).filter(x -> x >= t).count() / (double) v.length;
            assertEquals(share, passed, 2.0 / v.length, "share " + share);
            assertEquals(1 - share, t, 0.02, "uniform sample: threshold near the population quantile");
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Thresholds.quantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.quantile(VALUES, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.quantile(new double[] {Double.NaN}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.topShare(VALUES, -0.1));
    }
}
