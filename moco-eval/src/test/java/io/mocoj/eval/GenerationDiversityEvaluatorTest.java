package io.mocoj.eval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationDiversityEvaluatorTest {

    /** Embeds a few known words as fixed vectors. */
    static final class TableEmbeddings implements EmbeddingModel {
        private static final Map<String, float[]> TABLE = Map.of(
                "east", new float[] {1, 0}, "north", new float[] {0, 1}, "northeast", new float[] {1, 1}, "west", new float[] {-1, 0});

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(s -> Embedding.from(TABLE.get(s.text()))).toList());
        }
    }

    private static Example withRefs(List<String> refs) {
        return new Example("d", "Tell me a direction.", Map.of(), List.of(), Map.of("reference", refs));
    }

    @Test
    void anEmptyOutputFieldDoesNotHideTheReferenceList() {
        // infinite_chat_diversity: "output": "" (read as the answer "") and a 3-element "reference" list
        Example e = new Example("26", "Tell me a direction.", Map.of(), List.of(""), Map.of("reference", List.of("east", "north", "west")));
        assertEquals(List.of("east", "north", "west"), GenerationDiversityEvaluator.references(e));
        Score s = Evaluators.generationDiversity(new TableEmbeddings()).score(e, "east");
        assertFalse(s.failed(), s.detail());
        // cosines 1, 0, -1 -> mean 0 -> diversity 1
        assertEquals(1.0, s.value(), 1e-12);
    }

    @Test
    void oneMinusMeanCosineByHand() {
        var eval = Evaluators.generationDiversity(new TableEmbeddings());
        // cos(east, east) = 1, cos(east, north) = 0 -> mean 0.5 -> diversity 0.5
        assertEquals(0.5, eval.score(withRefs(List.of("east", "north")), "east").value(), 1e-12);
        // cos(northeast, east) = cos(northeast, north) = 1/sqrt(2)
        assertEquals(1 - Math.sqrt(0.5), eval.score(withRefs(List.of("east", "north")), "northeast").value(), 1e-6);
        // opposite direction: cos = -1 -> diversity 2
        assertEquals(2.0, eval.score(withRefs(List.of("east")), "west").value(), 1e-12);
    }

    @Test
    void referencesFromAnswersOrFieldAndMissingOnesFail() {
        var eval = Evaluators.generationDiversity(new TableEmbeddings());
        Example fromAnswers = new Example("d", "x", Map.of(), List.of("north"), Map.of());
        assertEquals(1.0, eval.score(fromAnswers, "east").value(), 1e-12);
        Score none = eval.score(new Example("d", "x", Map.of(), List.of(), Map.of()), "east");
        assertTrue(none.failed());
        assertTrue(eval.score(withRefs(List.of("east")), "  ").failed());
    }

    @Test
    void realMiniLmRanksParaphraseBelowUnrelatedText() {
        var eval = Evaluators.generationDiversity();
        Example e = withRefs(List.of("The cat sat on the warm windowsill all afternoon."));
        double same = eval.score(e, "The cat sat on the warm windowsill all afternoon.").value();
        double paraphrase = eval.score(e, "All afternoon the cat was sitting on the sunny window ledge.").value();
        double unrelated = eval.score(e, "Quarterly interest rates rose by two percent in the bond market.").value();
        assertEquals(0.0, same, 1e-5);
        assertTrue(paraphrase > 0.05 && paraphrase < unrelated, paraphrase + " vs " + unrelated);
        assertTrue(unrelated > 0.6, "unrelated sentences have low similarity: " + unrelated);
    }
}
