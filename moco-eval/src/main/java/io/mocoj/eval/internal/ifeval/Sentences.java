package io.mocoj.eval.internal.ifeval;

import io.mocoj.eval.internal.PyText;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official IFEval sentence splitter: abbreviations (Mr., Dr., Inc., single initials, acronyms,
 * web domains, decimal numbers, ellipses) are protected, then the text is cut after every
 * {@code .}, {@code ?} and {@code !}.
 */
final class Sentences {
    private Sentences() {}

    private static final String ALPHABETS = "([A-Za-z])";
    private static final String PREFIXES = "(Mr|St|Mrs|Ms|Dr)[.]";
    private static final String SUFFIXES = "(Inc|Ltd|Jr|Sr|Co)";
    private static final String STARTERS = "(Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\\s|She\\s|It\\s|They\\s|Their\\s|Our\\s|We\\s|But\\s|However\\s|That\\s|This\\s|Wherever)";
    private static final String ACRONYMS = "([A-Z][.][A-Z][.](?:[A-Z][.])?)";
    private static final String WEBSITES = "[.](com|net|org|io|gov|edu|me)";
    private static final String DIGITS = "([0-9])";
    private static final Pattern MULTIPLE_DOTS = Pattern.compile("\\.{2,}");

    static List<String> split(String input) {
        String text = " " + input + "  ";
        text = text.replace("\n", " ");
        text = text.replaceAll(PREFIXES, "$1<prd>");
        text = text.replaceAll(WEBSITES, "<prd>$1");
        text = text.replaceAll(DIGITS + "[.]" + DIGITS, "$1<prd>$2");
        Matcher m = MULTIPLE_DOTS.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement("<prd>".repeat(m.group().length()) + "<stop>"));
        m.appendTail(sb);
        text = sb.toString();
        if (text.contains("Ph.D")) text = text.replace("Ph.D.", "Ph<prd>D<prd>");
        text = text.replaceAll("\\s" + ALPHABETS + "[.] ", " $1<prd> ");
        text = text.replaceAll(ACRONYMS + " " + STARTERS, "$1<stop> $2");
        text = text.replaceAll(ALPHABETS + "[.]" + ALPHABETS + "[.]" + ALPHABETS + "[.]", "$1<prd>$2<prd>$3<prd>");
        text = text.replaceAll(ALPHABETS + "[.]" + ALPHABETS + "[.]", "$1<prd>$2<prd>");
        text = text.replaceAll(" " + SUFFIXES + "[.] " + STARTERS, " $1<stop> $2");
        text = text.replaceAll(" " + SUFFIXES + "[.]", " $1<prd>");
        text = text.replaceAll(" " + ALPHABETS + "[.]", " $1<prd>");
        if (text.contains("\u201d")) text = text.replace(".\u201d", "\u201d.");
        if (text.contains("\"")) text = text.replace(".\"", "\".");
        if (text.contains("!")) text = text.replace("!\"", "\"!");
        if (text.contains("?")) text = text.replace("?\"", "\"?");
        text = text.replace(".", ".<stop>").replace("?", "?<stop>").replace("!", "!<stop>").replace("<prd>", ".");
        List<String> out = new ArrayList<>();
        for (String s : text.split("<stop>", -1)) out.add(PyText.strip(s));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }
}
