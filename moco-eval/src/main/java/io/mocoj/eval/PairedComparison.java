package io.mocoj.eval;

import java.util.OptionalDouble;

/**
 * Two runs compared on the same examples (pairs where either score failed are left out).
 *
 * @param pairs               pairs compared
 * @param wins                pairs where run A scored higher
 * @param ties                pairs with equal scores
 * @param losses              pairs where run B scored higher
 * @param meanDifference      mean of A − B
 * @param low                 lower end of the percentile-bootstrap interval of the mean difference
 * @param high                upper end of that interval
 * @param bootstrapPValue     two-sided paired bootstrap p-value for "mean difference = 0"
 * @param mcNemarPValue       exact (binomial) McNemar p-value, present only when every score is 0 or 1
 */
public record PairedComparison(int pairs, int wins, int ties, int losses, double meanDifference, double low, double high,
                               double bootstrapPValue, OptionalDouble mcNemarPValue) {}
