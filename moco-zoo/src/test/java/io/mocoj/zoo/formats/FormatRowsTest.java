package io.mocoj.zoo.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MatchMode;
import io.mocoj.eval.RewardModelEvaluator;
import io.mocoj.methods.text.AggLm;
import io.mocoj.methods.toolbox.PeerJudge;
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.task.Evaluator;
import io.mocoj.train.TrainingExample;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.internal.Generators;
import io.mocoj.zoo.internal.TrainingData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FormatRowsTest {
    /** Skills whose answers the evaluator scores without a model or the code sandbox. */
    private static final Set<Skill> CHEAP = Set.of(Skill.MCQ, Skill.ARITH, Skill.REVERSE, Skill.SORT, Skill.KBQA, Skill.REFUSAL);
    private static final Set<Skill> LARGE_SPACE = Set.of(Skill.MCQ, Skill.ARITH, Skill.REVERSE, Skill.SORT);

    private static Evaluator ev(Skill s) { return Evaluators.forTaskType(s.type(), MatchMode.MOCO_COMPATIBLE); }

    @ParameterizedTest
    @EnumSource(Format.class)
    void theMethodsParserReadsTheIntendedDecisionFromEveryCompletion(Format f) {
        for (Skill s : Format.skillsOf(f)) {
            for (FormatRows.Item it : FormatRows.items(f, s, 3, 40)) {
                String c = it.completion();
                String where = f + "/" + s + " " + it.example().id() + ": " + c;
                switch (f) {
                    case PAIRWISE -> {
                        assertEquals(2, it.shown().size());
                        assertNotEquals(it.right().get(0), it.right().get(1), where);
                        assertEquals(it.right().get(0) ? 'A' : 'B', TeamPrompts.parseAorB(c), where);
                    }
                    case PEER_JUDGE -> assertEquals(it.right().get(0) ? 9 : 2, PeerJudge.parse(c), where);
                    case JUDGE -> assertEquals(it.right().get(0) ? 9.0 : 2.0, RewardModelEvaluator.parseRating(c).orElseThrow(), where);
                    case ROUTING -> {
                        List<String> names = it.prompt().lines().filter(l -> l.matches("\\d\\. \\w+: .*"))
                                .map(l -> l.substring(3, l.indexOf(':'))).toList();
                        assertEquals(2, names.size(), where);
                        assertEquals(names.indexOf(s.shortName()), Prompts.parseModelChoice(c, names), where);
                    }
                    case KNOWLEDGE -> assertTrue(c.contains(Candidates.person(it.example().input()) != null
                            ? Candidates.person(it.example().input()).name() : Candidates.town(it.example().input()).name()), where);
                    case FEEDBACK -> {
                        assertTrue(c.endsWith(Candidates.right(it.record())), where);
                        assertEquals(it.right().get(0), c.startsWith("The answer is right"), where);
                    }
                    default -> {
                        // an answer: the evaluator scores it 1 (or it is the reference response where scoring needs a sandbox or a judge)
                        if (CHEAP.contains(s)) assertEquals(1.0, ev(s).score(it.example(), c).value(), where);
                        else assertEquals(Candidates.right(it.record()), c, where);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Skill.class, names = {"MCQ", "ARITH", "REVERSE", "SORT", "KBQA", "REFUSAL"})
    void shownRightResponsesScoreOneAndWrongOnesBelow(Skill s) {
        Evaluator ev = ev(s);
        int wrong = 0;
        for (Format f : List.of(Format.AGGREGATION, Format.PAIRWISE, Format.REFINE)) {
            for (FormatRows.Item it : FormatRows.items(f, s, 5, 60)) {
                for (int i = 0; i < it.shown().size(); i++) {
                    double v = ev.score(it.example(), it.shown().get(i)).value();
                    if (it.right().get(i)) assertEquals(1.0, v, it.shown().get(i));
                    else {
                        assertTrue(v < 1.0, s + " wrong response scored 1: " + it.shown().get(i));
                        wrong++;
                    }
                }
            }
        }
        assertTrue(wrong > 50);
    }

    @Test
    void thePromptsAreTheMethodsPromptsOfTheItemsQuestion() {
        // the question inside every prompt is the skill evaluator's prompt of the item, and rebuilding the prompt
        // with the method's builder from what the row shows gives the same bytes
        for (Skill s : Skill.values()) {
            for (FormatRows.Item it : FormatRows.items(Format.AGGREGATION, s, 1, 10)) {
                assertEquals(ev(s).prompt(it.example()), it.question());
                assertEquals(AggLm.aggregationPrompt(it.question(), it.shown()), it.prompt());
            }
            for (FormatRows.Item it : FormatRows.items(Format.PAIRWISE, s, 1, 10)) {
                assertEquals(TeamPrompts.pairwise(it.question(), it.shown().get(0), it.shown().get(1)), it.prompt());
            }
            for (FormatRows.Item it : FormatRows.items(Format.PEER_JUDGE, s, 1, 10)) {
                assertEquals(PeerJudge.prompt(it.question(), it.shown().get(0)), it.prompt());
            }
            for (FormatRows.Item it : FormatRows.items(Format.JUDGE, s, 1, 10)) {
                assertEquals(RewardModelEvaluator.judgePrompt(it.example().input(), it.shown().get(0)), it.prompt());
            }
            for (FormatRows.Item it : FormatRows.items(Format.FUSION, s, 1, 10)) {
                assertEquals(TeamPrompts.fusion(it.question(), it.shown(), s.type()), it.prompt());
            }
        }
    }

    @Test
    void theMajorityIsOftenWrongAndTheRightAnswerSometimesMissing() {
        int majorityWrong = 0, noneRight = 0, rows = 0;
        for (FormatRows.Item it : FormatRows.items(Format.AGGREGATION, Skill.SORT, 9, 300)) {
            Map<String, Integer> counts = new HashMap<>();
            for (String x : it.shown()) counts.merge(x, 1, Integer::sum);
            String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (!majority.equals(it.completion())) majorityWrong++;
            if (!it.right().contains(true)) noneRight++;
            rows++;
        }
        // each answer is right with probability 0.4, so the majority is wrong in well over a third of the sets
        assertTrue(majorityWrong > rows * 0.35, majorityWrong + " of " + rows);
        assertTrue(noneRight > rows * 0.1 && noneRight < rows * 0.5, noneRight + " of " + rows);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void noRowHoldsADevOrTestInputOfALargeSpaceSkill(Format f) {
        for (Skill s : Format.skillsOf(f)) {
            if (!LARGE_SPACE.contains(s)) continue;
            Set<String> held = TrainingData.heldOut(s);
            assertTrue(held.size() > 100);
            for (FormatRows.Item it : FormatRows.items(f, s, 2, 150)) {
                assertFalse(held.contains(Generators.input(it.record())), f + " " + s + " row holds the held-out input " + it.example().input());
                if (s != Skill.MCQ) {
                    for (String h : held) assertFalse(it.prompt().contains(h + "\n"), f + " " + s + " prompt holds held-out " + h);
                }
            }
        }
    }

    @Test
    void sameSeedSameRowsOtherSeedOtherRowsAndEveryRowIsShort() {
        List<TrainingExample> a = FormatRows.mixture(4, 60);
        assertEquals(a, FormatRows.mixture(4, 60));
        assertNotEquals(a, FormatRows.mixture(5, 60));
        assertEquals(60 * Format.values().length, a.size());
        for (TrainingExample e : a) {
            TrainingExample.Completion c = (TrainingExample.Completion) e;
            assertTrue(c.prompt().length() + c.completion().length() <= FormatRows.MAX_CHARS);
        }
    }

    @Test
    void aFormatRefusesSkillsItDoesNotUse() {
        assertThrows(IllegalArgumentException.class, () -> FormatRows.rows(Format.KNOWLEDGE, Skill.ARITH, 1, 3));
    }
}
