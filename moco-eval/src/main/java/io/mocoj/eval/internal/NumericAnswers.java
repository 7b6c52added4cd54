package io.mocoj.eval.internal;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numeric equivalence for the strict mode: thousands separators ({@code 1,000}), a leading
 * currency sign ({@code $}), a trailing percent sign or unit words ({@code 18 dollars},
 * {@code 5 cm}, at most two words), fractions ({@code 1/2}, {@code \frac{1}{2}}) and decimals
 * are read as numbers; two answers match when both read as numbers within a relative
 * tolerance of 1e-9 and, when both carry a unit, the units are the same words
 * ({@code 5 cm} = {@code 5}, {@code 5 cm} ≠ {@code 5 km}).
 */
public final class NumericAnswers {
    private NumericAnswers() {}

    private static final String DECIMAL = "[-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)?(?:\\.\\d+)?";
    private static final Pattern NUMBER = Pattern.compile(
            "\\$?\\s*(" + DECIMAL + ")\\s*(?:%|(?:[A-Za-z]+\\.?)(?:\\s+[A-Za-z]+\\.?)?)?");
    private static final Pattern FRACTION = Pattern.compile(
            "\\$?\\s*([-+]?\\d+)\\s*/\\s*(\\d+)\\s*(?:[A-Za-z]+)?");
    private static final Pattern LATEX_FRACTION = Pattern.compile(
            "([-+]?)\\\\d?frac\\{\\s*([-+]?\\d+)\\s*}\\{\\s*(\\d+)\\s*}");

    /** Whether both texts read as the same number. */
    public static boolean sameValue(String a, String b) {
        OptionalDouble x = parse(a);
        OptionalDouble y = parse(b);
        if (x.isEmpty() || y.isEmpty()) return false;
        String unitA = unit(a);
        String unitB = unit(b);
        if (!unitA.isEmpty() && !unitB.isEmpty() && !unitA.equals(unitB)) return false;
        double p = x.getAsDouble();
        double q = y.getAsDouble();
        if (p == q) return true;
        return Math.abs(p - q) <= 1e-9 * Math.max(Math.abs(p), Math.abs(q));
    }

    private static final Pattern UNIT = Pattern.compile("([A-Za-z][A-Za-z. ]*|%)$");

    /** The unit words after a number (lower-case, without dots), or "" when there are none. */
    static String unit(String text) {
        String t = text.strip();
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1).strip();
        Matcher m = UNIT.matcher(t);
        return m.find() ? m.group(1).replace(".", "").strip().toLowerCase(java.util.Locale.ROOT) : "";
    }

    /** The number a short answer denotes, if it is one. */
    public static OptionalDouble parse(String text) {
        if (text == null) return OptionalDouble.empty();
        String t = text.strip();
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1).strip();
        if (t.isEmpty()) return OptionalDouble.empty();
        Matcher latex = LATEX_FRACTION.matcher(t);
        if (latex.matches()) {
            double den = Double.parseDouble(latex.group(3));
            if (den == 0) return OptionalDouble.empty();
            double v = Double.parseDouble(latex.group(2)) / den;
            return OptionalDouble.of("-".equals(latex.group(1)) ? -v : v);
        }
        Matcher frac = FRACTION.matcher(t);
        if (frac.matches()) {
            double den = Double.parseDouble(frac.group(2));
            if (den == 0) return OptionalDouble.empty();
            return OptionalDouble.of(Double.parseDouble(frac.group(1)) / den);
        }
        Matcher num = NUMBER.matcher(t);
        if (num.matches()) {
            String digits = num.group(1).replace(",", "");
            if (digits.isEmpty() || digits.equals("+") || digits.equals("-") || !digits.matches(".*\\d.*")) {
                return OptionalDouble.empty();
            }
            try {
                return OptionalDouble.of(Double.parseDouble(digits));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }
}
