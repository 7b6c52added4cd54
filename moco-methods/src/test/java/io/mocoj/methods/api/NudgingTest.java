package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedLogitsModel;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nudging on constructed distributions. The base model has a word-level vocabulary and knows
 * "The cat sat … on the" with confidence 0.9 / 0.95 at three points and is unsure (every
 * distribution below has top-1 at most 1/3) everywhere else. The nudging model has a
 * character-level vocabulary (a different tokenizer) and wants to write the words of
 * "The dog ran on the rug", word k at word position k, each character with probability 0.9.
 */
class NudgingTest {
    static final List<String> NUDGER_WORDS = List.of("The", "dog", "ran", "on", "the", "rug");

    static ScriptedLogitsModel base() {
        List<String> pieces = new ArrayList<>(List.of("The", " cat", " dog", " sat", " on", " the", " mat", " rug", " by"));
        pieces.addAll(ScriptedLogitsModel.characters());
        return new ScriptedLogitsModel("base", pieces, soFar -> switch (soFar) {
            case "The" -> Map.of(" cat", 0.9, " dog", 0.1);
            case "The cat" -> Map.of(" sat", 0.9, " by", 0.1);
            case "The cat sat on" -> Map.of(" the", 0.95, " by", 0.05);
            default -> Map.of(" mat", 1 / 3.0, " by", 1 / 3.0, " on", 1 / 3.0);
        });
    }

    /** The character-level nudger: continues its word at the current word position, or starts the next word with a space. */
    static ScriptedLogitsModel nudger() {
        return new ScriptedLogitsModel("nudger", ScriptedLogitsModel.characters(), soFar -> {
            String[] words = soFar.split(" ", -1);
            int k = soFar.isEmpty() ? 0 : words.length - 1;
            String last = soFar.isEmpty() ? "" : words[k];
            String next;
            if (k < NUDGER_WORDS.size() && NUDGER_WORDS.get(k).startsWith(last) && last.length() < NUDGER_WORDS.get(k).length()) {
                next = String.valueOf(NUDGER_WORDS.get(k).charAt(last.length()));
            } else {
                next = k + 1 < NUDGER_WORDS.size() ? " " : ScriptedLogitsModel.END;
            }
            return next.equals("x") ? Map.of("x", 1.0) : Map.of(next, 0.9, "x", 0.1);
        });
    }

    static Task task() { return McqTasks.generate("nudge", 2, 2, List.of("animals"), 3); }

    static RunReport run(ModelEndpoint nudger, double gamma) {
        return MoCo.run().models(base(), nudger).method(Methods.nudging().gamma(gamma).doSample(false))
                .task(task()).settings(GenerationSettings.DEFAULTS).seed(1).execute();
    }

    @Test
    void nudgerWritesTheFirstWordAndEveryWordWhereTheBaseIsUnsureAcrossTokenizers() {
        RunReport r = run(nudger(), 0.4);
        // hand trace (MoCo's rules): T,h,e from the nudger (first nudge, no space); base confident → " cat", " sat";
        // base unsure after "sat" → nudger " ", "o", "n"; its " " (start of "the") meets a confident base → " the";
        // unsure → nudger " ", "r", "u", "g"; then the nudger's end token while nudging (no space) ends the response
        for (int i = 0; i < 2; i++) {
            assertEquals("The cat sat on the rug", r.examples().get(i).output());
            Map<String, Object> trace = Reports.exampleEvent(r, i, "nudges");
            List<?> nudges = (List<?>) trace.get("nudges");
            assertEquals(3, nudges.size());
            assertEquals(List.of(0, 11, 18), nudges.stream().map(n -> ((Map<?, ?>) n).get("offset")).toList());
            assertEquals(List.of("The", " on", " rug"), nudges.stream().map(n -> ((Map<?, ?>) n).get("text")).toList());
            assertEquals(1 / 3.0, ((Number) ((Map<?, ?>) nudges.get(1)).get("base_top1")).doubleValue(), 1e-6);
            assertEquals(3, trace.get("base_tokens"));
            assertEquals(3 + 3 + 4, trace.get("nudging_pieces"));
            assertEquals("nudging_model_end", trace.get("stopped_by"));
        }
        // exact accounting: one decoding session per model per example; the base ran 1 prompt token and every response
        // piece re-encoded with its vocabulary: "The" as T,h,e + " cat" + " sat" + " ", "o", "n" + " the" + " ", "r", "u", "g"
        RunReport.ModelUsage base = usage(r, "base");
        assertEquals(2, base.calls());
        long promptChars = r.examples().stream().mapToLong(e -> e.prompt().length() + 1).sum(); // one piece per character + the end-of-prompt token
        assertEquals(promptChars, base.promptTokens());
        assertEquals(2 * 13, base.completionTokens());
        // the nudger: its own 10 characters plus " cat", " sat", " the" as characters (12)
        assertEquals(2 * 22, usage(r, "nudger").completionTokens());
    }

    @Test
    void gammaOneHandsEveryStepToTheNudgerAndGammaZeroOnlyTheFirstWord() {
        assertEquals("The dog ran on the rug", run(nudger(), 1.0).examples().get(0).output());
        // gamma 0: the base is never unsure; after the nudger's first word the base writes; its "unsure" default
        // distribution puts 1/3 on " mat", " by", " on" (greedy: the first piece in vocabulary order among equals)
        String out = run(nudger(), 0.0).examples().get(0).output();
        assertTrue(out.startsWith("The cat sat on the "), out);
        assertEquals(1, ((List<?>) Reports.exampleEvent(run(nudger(), 0.0), 0, "nudges").get("nudges")).size());
    }

    @Test
    void aTextNudgerInsertsOneWholeWordPerCall() {
        ScriptedModel words = ScriptedModel.text("writer", req -> {
            String p = req.lastUserText();
            int at = p.indexOf("Answer so far:\n");
            String soFar = at < 0 ? "" : p.substring(at + "Answer so far:\n".length());
            int k = soFar.isBlank() ? 0 : soFar.trim().split(" ").length;
            return k < NUDGER_WORDS.size() ? NUDGER_WORDS.get(k) + " and more words" : "";
        });
        RunReport r = run(words, 0.4);
        assertEquals("The cat sat on the rug", r.examples().get(0).output());
        assertEquals(List.of("The", " on", " rug"), ((List<?>) Reports.exampleEvent(r, 0, "nudges").get("nudges")).stream()
                .map(n -> ((Map<?, ?>) n).get("text")).toList());
        // one call per nudged word (3) and the empty reply that ended the response, per example
        assertEquals(2 * 4, Reports.calls(r, "writer"));
    }

    @Test
    void searchPicksGammaAndNudgerOnDev() {
        RunReport r = MoCo.run().models(base(), nudger()).method(Methods.nudging().search(true, true).doSample(false))
                .task(task()).seed(1).execute();
        List<?> candidates = (List<?>) Reports.runEvent(r, "search").get("candidates");
        assertEquals(4, candidates.size());
        assertEquals(0.2, ((Number) Reports.runEvent(r, "nudging").get("gamma")).doubleValue(), 0, "all tie at 0: the first is kept");
    }

    @Test
    void refusedBeforeAnyCall() {
        ScriptedModel text = ScriptedModel.text("text-only", req -> "x");
        var e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(text, nudger()).method(Methods.nudging()).task(task()).build());
        assertTrue(e.getMessage().contains("needs capability LOGITS or APPROX_LOGITS from its base model 'text-only'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.nudging().models(1, 1));
        assertTrue(e.getMessage().contains("must be another model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.nudging().gamma(1.5));
        assertTrue(e.getMessage().contains("'gamma'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(base(), nudger()).method(Methods.nudging().models(0, 2)).task(task()).build());
        assertTrue(e.getMessage().contains("'nudging_model_id' of method api_nudging is 2"), e.getMessage());
    }

    static RunReport.ModelUsage usage(RunReport r, String model) {
        return r.summary().usage().stream().filter(u -> u.model().equals(model)).findFirst().orElseThrow();
    }
}
