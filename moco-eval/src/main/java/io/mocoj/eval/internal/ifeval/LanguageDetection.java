package io.mocoj.eval.internal.ifeval;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

import java.util.Locale;
import java.util.Optional;

/**
 * Language of a response, by Lingua (all of its 75 languages, trigram models only: Lingua's low-accuracy mode, about a
 * tenth of the memory of its high-accuracy mode and reliable on the paragraph-length responses IFEval asks for). Kannada,
 * which Lingua lacks, is recognised by its script (a script no other language uses); Nepali, also
 * missing and written in the Devanagari script it shares with Hindi and Marathi, cannot be told
 * apart and is never reported.
 */
public final class LanguageDetection {
    private LanguageDetection() {}

    private static final class Holder {
        static final LanguageDetector DETECTOR = LanguageDetectorBuilder.fromAllLanguages().withLowAccuracyMode().build();
    }

    /** Whether the detector can report the language with this ISO 639-1 code (Nepali, for one, it cannot). */
    public static boolean supported(String isoCode) {
        String c = isoCode.toLowerCase(Locale.ROOT);
        if (c.equals("kn")) return true;
        for (Language l : Language.values()) {
            if (l != Language.UNKNOWN && l.getIsoCode639_1().toString().equalsIgnoreCase(c)) return true;
        }
        return false;
    }

    /** The ISO 639-1 code of the text's language, or empty when there is too little text to tell. */
    public static Optional<String> detect(String text) {
        if (kannadaShare(text) > 0.5) return Optional.of("kn");
        Language l = Holder.DETECTOR.detectLanguageOf(text);
        if (l == Language.UNKNOWN) return Optional.empty();
        return Optional.of(l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT));
    }

    /** The share of the text's letters written in the Kannada script (U+0C80..U+0CFF). */
    static double kannadaShare(String text) {
        int letters = 0;
        int kannada = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp) && Character.getType(cp) != Character.NON_SPACING_MARK
                    && Character.getType(cp) != Character.COMBINING_SPACING_MARK) continue;
            letters++;
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.KANNADA) kannada++;
        }
        return letters == 0 ? 0 : (double) kannada / letters;
    }
}
