package io.mocoj.eval;

/**
 * A mean score with its percentile-bootstrap confidence interval.
 *
 * @param count  scores that entered the mean (failed scores are left out)
 * @param failed scores left out because scoring failed ({@link io.mocoj.task.Score#failed()})
 * @param mean   the mean, NaN when {@code count} is 0
 * @param low    lower end of the interval (NaN when {@code count} is 0)
 * @param high   upper end of the interval (NaN when {@code count} is 0)
 * @param level  the interval's confidence level, e.g. 0.95
 */
public record MeanWithInterval(int count, int failed, double mean, double low, double high, double level) {}
