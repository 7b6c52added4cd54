package io.mocoj.zoo.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.train.TrainingExample;
import io.mocoj.zoo.Skill;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AggregationPicksTest {
    private static final Pattern SOLUTION = Pattern.compile("--- Solution (\\d+) ---\n(.*?)\n(?=\n--- Solution|\nSome, all or none)", Pattern.DOTALL);

    /** The solutions shown in an aggregation prompt, in order (parsed back from the prompt's text). */
    static List<String> shown(String prompt) {
        List<String> out = new ArrayList<>();
        Matcher m = SOLUTION.matcher(prompt);
        while (m.find()) {
            assertEquals(out.size() + 1, Integer.parseInt(m.group(1)));
            out.add(m.group(2));
        }
        return out;
    }

    @Test
    void everyCompletionNamesAShownSolutionAndCopiesItsBoxedAnswer() {
        for (Skill s : AggregationPicks.SKILLS) {
            int[] picked = new int[5];
            List<TrainingExample> rows = AggregationPicks.rows(s, 3, 300);
            assertEquals(300, rows.size());
            for (TrainingExample e : rows) {
                TrainingExample.Completion c = (TrainingExample.Completion) e;
                List<String> shown = shown(c.prompt());
                assertTrue(shown.size() >= 2 && shown.size() <= 4, c.prompt());
                Matcher m = Pattern.compile("Solution (\\d): (\\\\box\\{[^}]*\\})").matcher(c.completion());
                assertTrue(m.matches(), c.completion());
                int k = Integer.parseInt(m.group(1));
                assertTrue(k >= 1 && k <= shown.size(), c.completion());
                assertEquals(AggregationPicks.lastBox(shown.get(k - 1)), m.group(2), c.prompt() + "\n=> " + c.completion());
                picked[k]++;
            }
            // the pick is uniform within a set of 2, 3 or 4: about 300 · (1/2 + 1/3 + 1/4) / 3 ≈ 108 name solution 1,
            // 300 · (1/3 + 1/4) / 3 ≈ 58 solution 3 and 300 · (1/4) / 3 = 25 solution 4 (binomial, far from 0 and from all)
            assertTrue(picked[1] > 70 && picked[1] < 150, s + " " + java.util.Arrays.toString(picked));
            assertTrue(picked[3] > 30 && picked[3] < 90, s + " " + java.util.Arrays.toString(picked));
            assertTrue(picked[4] > 8 && picked[4] < 50, s + " " + java.util.Arrays.toString(picked));
        }
    }

    @Test
    void theRowsAreDeterministicAndKeepTheHeldOutRule() {
        assertEquals(AggregationPicks.rows(7, 20), AggregationPicks.rows(7, 20));
        assertTrue(!AggregationPicks.rows(7, 20).equals(AggregationPicks.rows(8, 20)));
        for (Skill s : List.of(Skill.ARITH, Skill.REVERSE, Skill.SORT)) {
            var held = io.mocoj.zoo.internal.TrainingData.heldOut(s);
            assertTrue(held.size() > 100);
            for (TrainingExample e : AggregationPicks.rows(s, 1, 100)) {
                String prompt = ((TrainingExample.Completion) e).prompt();
                for (String input : held) assertTrue(!prompt.contains(input + "\n"), "a held-out input in " + prompt);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> AggregationPicks.rows(Skill.CODE, 1, 5));
    }
}
