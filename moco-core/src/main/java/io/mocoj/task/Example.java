package io.mocoj.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One benchmark item, immutable.
 *
 * @param id       the dataset's id (ints are kept as their decimal text)
 * @param input    the question or input text ({@code question} in MCQ files, {@code input} elsewhere)
 * @param choices  the options by letter in order (A, B, …); empty when the task is not multiple choice
 * @param answers  gold answers: the letter for MCQ, the reference(s) for exact/F1 match (any one counts);
 *                 may be empty (e.g. coding, where tests decide)
 * @param fields   every other field of the file, as read (e.g. {@code domain}, {@code test}, {@code question_id})
 */
public record Example(String id, String input, Map<String, String> choices, List<String> answers,
                      Map<String, Object> fields) {
    /**
     * Field holding a multiple-choice answer key as the file gave it, when it is not the letter of the
     * answer's position (e.g. {@code "2"} or {@code "id"}); MoCo-compatible scoring compares with it.
     */
    public static final String ANSWER_KEY_IN_FILE = "answer_key_in_file";

    /**
     * Field holding the reference text as the file gave it when it is a list in a string (popqa's
     * {@code "[\"A\", \"B\"]"}); MoCo-compatible F1 scoring splits this text at commas as MoCo does.
     */
    public static final String REFERENCE_LIST_TEXT = "reference_list_text";

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        choices = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        answers = List.copyOf(answers);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A multiple-choice example. */
    public static Example multipleChoice(String id, String question, Map<String, String> choices, String answerLetter) {
        return new Example(id, question, choices, List.of(answerLetter), Map.of());
    }

    /** An example with a free-text reference answer. */
    public static Example freeText(String id, String input, String reference) {
        return new Example(id, input, Map.of(), List.of(reference), Map.of());
    }

    public Example withFields(Map<String, Object> more) {
        Map<String, Object> m = new LinkedHashMap<>(fields);
        m.putAll(more);
        return new Example(id, input, choices, answers, m);
    }

    /** The first gold answer, or "" when there is none. */
    public String answer() { return answers.isEmpty() ? "" : answers.get(0); }

    /** A field as text, if present. */
    public Optional<String> field(String name) {
        Object v = fields.get(name);
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    /**
     * The example's group for per-group breakdowns: {@code domain}, else {@code category}, else
     * {@code country}, else {@code answer_type}.
     */
    public Optional<String> group() {
        for (String k : List.of("domain", "category", "country", "answer_type")) {
            Optional<String> v = field(k);
            if (v.isPresent()) return v;
        }
        return Optional.empty();
    }
}
