package io.mocoj.model;

import java.util.List;

/** Stop-sequence matching shared by everything that decodes token by token. */
public final class StopSequences {
    private StopSequences() {}

    /** Where the earliest of {@code stops} starts in {@code text}, or −1 when none occurs (empty stops are ignored). */
    public static int firstIndex(String text, List<String> stops) {
        int best = -1;
        for (String s : stops) {
            if (s.isEmpty()) continue;
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }
}
