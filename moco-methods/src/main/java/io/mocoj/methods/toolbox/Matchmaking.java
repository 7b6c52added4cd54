package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SPARTA's opponent choice by reputation. With probability {@code randomMatchProb} the opponent is
 * any other model (uniformly); otherwise the candidates are sorted by the absolute reputation gap
 * to the active model and one of the {@code numOpponents} closest ({@code lowest_diff}) or farthest
 * ({@code highest_diff}) is taken uniformly; the two schedules draw with probability proportional
 * to {@code exp(−(g − target)²/(2σ²))} where {@code g} is the gap divided by the largest gap and the
 * target gap moves linearly from 1 to 0 over the iterations ({@code schedule_decreasing}) or from
 * 0 to 1 ({@code schedule_increasing}).
 */
public final class Matchmaking {
    private Matchmaking() {}

    /** MoCo's {@code opponent_selection}. */
    public enum Selection {
        LOWEST_DIFF, HIGHEST_DIFF, SCHEDULE_DECREASING, SCHEDULE_INCREASING;

        public static Selection of(String name) { return valueOf(name.toUpperCase(Locale.ROOT)); }

        public static List<String> names() { return List.of("lowest_diff", "highest_diff", "schedule_decreasing", "schedule_increasing"); }
    }

    /** The scheduled target gap of iteration {@code iteration} (0-based) of {@code total}. */
    public static double targetGap(Selection s, int iteration, int total) {
        double tau = iteration / (double) Math.max(total - 1, 1);
        return s == Selection.SCHEDULE_DECREASING ? 1 - tau : tau;
    }

    /** The opponent of {@code active} among {@code models}; {@code scores} are the reputations. */
    public static String opponent(String active, List<String> models, Map<String, Double> scores, double randomMatchProb, int numOpponents,
                                  Selection selection, int iteration, int totalIterations, double sigma, RandomGenerator random) {
        List<String> others = new ArrayList<>(models);
        others.remove(active);
        if (others.isEmpty()) throw new IllegalArgumentException("a duel needs two models");
        if (random.nextDouble() < randomMatchProb) return others.get(random.nextInt(others.size()));
        double self = scores.get(active);
        List<String> byGap = new ArrayList<>(others);
        Comparator<String> gap = Comparator.comparingDouble(o -> Math.abs(self - scores.get(o)));
        int top = Math.max(1, Math.min(numOpponents, others.size()));
        switch (selection) {
            case LOWEST_DIFF -> byGap.sort(gap);
            case HIGHEST_DIFF -> byGap.sort(gap.reversed());
            default -> {
                double target = targetGap(selection, iteration, totalIterations);
                double max = 0;
                for (String o : others) max = Math.max(max, Math.abs(self - scores.get(o)));
                double[] w = new double[others.size()];
                double s = Math.max(sigma, 1e-12), sum = 0;
                for (int i = 0; i < w.length; i++) {
                    double g = max <= 1e-12 ? 0 : Math.min(1, Math.abs(self - scores.get(others.get(i))) / max);
                    w[i] = Math.exp(-(g - target) * (g - target) / (2 * s * s));
                    sum += w[i];
                }
                if (!(sum > 0)) return others.get(random.nextInt(others.size()));
                for (int i = 0; i < w.length; i++) w[i] /= sum;
                return others.get(Exp3.draw(w, random));
            }
        }
        return byGap.get(random.nextInt(top));
    }
}
