package io.mocoj.datasets;

/**
 * Which keys of a user's records hold the id, the input, the choices and the answer, when they differ
 * from MoCo's. An unset key falls back to MoCo's name for the task type: {@code question} / {@code choices} /
 * {@code answer} for multiple choice, {@code input} / {@code output} otherwise; ids default to {@code id}.
 *
 * @param id                  key of the example id ({@code id} when null); a missing id becomes {@code <split>-<index>}
 * @param input               key of the question or input text, or null for the default
 * @param choices             key of the options (an object letter→text or an array of texts), or null for {@code choices}
 * @param answer              key of the gold answer (a choice key for multiple choice, the reference otherwise), or null for the default
 * @param answerListInString  the answer is a string holding a JSON list of accepted answers (as in popqa)
 */
public record FieldMapping(String id, String input, String choices, String answer, boolean answerListInString) {

    /** MoCo's own names. */
    public static final FieldMapping MOCO = new FieldMapping(null, null, null, null, false);

    public static Builder builder() { return new Builder(); }

    /** Builds a {@link FieldMapping}; every setter is optional. */
    public static final class Builder {
        private String id;
        private String input;
        private String choices;
        private String answer;
        private boolean answerListInString;

        private Builder() {}

        public Builder id(String key) { this.id = key; return this; }

        /** Key of the question / input text, e.g. {@code "prompt"}. */
        public Builder input(String key) { this.input = key; return this; }

        public Builder choices(String key) { this.choices = key; return this; }

        /** Key of the gold answer, e.g. {@code "label"}. */
        public Builder answer(String key) { this.answer = key; return this; }

        /** The answer is a string holding a JSON list (popqa style); every element counts as correct. */
        public Builder answerListInString(boolean value) { this.answerListInString = value; return this; }

        public FieldMapping build() { return new FieldMapping(id, input, choices, answer, answerListInString); }
    }
}
