package io.mocoj.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Whole numbers read from configs, exactly: a value that is not a whole number, or that lies
 * outside the allowed range, is refused with a message naming the key, the value and the range,
 * never wrapped ({@code 4294967297} does not become 1) or clamped ({@code 1e300} does not become
 * {@link Integer#MAX_VALUE}).
 */
public final class ExactNumbers {
    private ExactNumbers() {}

    /**
     * @param what the key, as it should appear in the message (e.g. {@code "cfg.json: hyperparameters.batch_size"})
     * @throws ConfigException when {@code value} is not a whole number in {@code [min, max]}
     */
    public static int toInt(Object value, int min, int max, String what) {
        return (int) toLong(value, min, max, what);
    }

    /** As {@link #toInt}, for longs. */
    public static long toLong(Object value, long min, long max, String what) {
        BigInteger exact = exactInteger(value);
        if (exact == null) {
            throw new ConfigException(what + " must be a whole number in " + range(min, max) + ", found " + render(value));
        }
        if (exact.compareTo(BigInteger.valueOf(min)) < 0 || exact.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(what + " is " + render(value) + ", outside the allowed range " + range(min, max));
        }
        return exact.longValueExact();
    }

    /** The exact integer a JSON value stands for, or null when it is not a whole number. */
    static BigInteger exactInteger(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) return b;
        BigDecimal d;
        if (value instanceof BigDecimal bd) d = bd;
        else if (value instanceof Double || value instanceof Float) {
            double x = ((Number) value).doubleValue();
            if (!Double.isFinite(x)) return null;
            d = new BigDecimal(x);
        } else return null;
        try {
            return d.stripTrailingZeros().scale() <= 0 ? d.toBigIntegerExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static String range(long min, long max) {
        return String.format(Locale.ROOT, "[%d, %d]", min, max);
    }

    private static String render(Object v) {
        if (v instanceof String s) return "\"" + Quoted.cap(s) + "\"";
        if (v instanceof Double d && Math.abs(d) >= 1e15) return String.format(Locale.ROOT, "%.6g", d);
        return Quoted.cap(String.valueOf(v));
    }
}
