package io.mocoj.datasets.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mocoj.datasets.DatasetFormatException;
import io.mocoj.datasets.FieldMapping;
import io.mocoj.task.Example;
import io.mocoj.task.TaskType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one record (a JSON object read as a map) into an {@link Example}, following MoCo's field names
 * or a {@link FieldMapping}. Choices are relabelled A, B, C, … by position (the published files also use
 * keys such as {@code 1..4} or {@code id}); the answer is translated to the new letter.
 */
public final class ExampleConverter {
    private static final JsonFactory JSON = new JsonFactory();

    private final String file;
    private final TaskType type;
    private final FieldMapping mapping;

    public ExampleConverter(String file, TaskType type, FieldMapping mapping) {
        this.file = file;
        this.type = type;
        this.mapping = mapping == null ? FieldMapping.MOCO : mapping;
    }

    public Example convert(Map<String, Object> rec, String split, int index) {
        String idKey = mapping.id() != null ? mapping.id() : "id";
        String id = readId(rec, idKey, split, index);
        boolean mcShape = switch (type) {
            case MULTIPLE_CHOICE -> true;
            case GENERAL_VERIFIER -> rec.containsKey(mapping.choices() != null ? mapping.choices() : "choices");
            default -> false;
        };
        if (mcShape) return multipleChoice(rec, id, idKey, split, index);

        String inputKey = mapping.input();
        String answerKey = mapping.answer();
        if (inputKey == null) {
            inputKey = type == TaskType.GENERAL_VERIFIER && !rec.containsKey("input") && rec.containsKey("question") ? "question" : "input";
        }
        if (answerKey == null) {
            answerKey = type == TaskType.GENERAL_VERIFIER && !rec.containsKey("output") && rec.containsKey("answer") ? "answer" : "output";
        }
        String input = requireText(rec, inputKey, split, index);
        boolean answerRequired = type == TaskType.EXACT_MATCH || type == TaskType.F1_MATCH || type == TaskType.GENERAL_VERIFIER;
        if (answerRequired && !rec.containsKey(answerKey)) {
            throw new DatasetFormatException(file, split, index, answerKey, "missing (a " + type.configName()
                    + " example needs its reference answer here" + (mapping.answer() == null ? "; map another key with FieldMapping.answer(...)" : "") + ")");
        }
        if (type == TaskType.CODING) requireText(rec, "test", split, index);
        List<String> answers = answers(rec.get(answerKey), answerKey, split, index);
        Map<String, Object> fields = new LinkedHashMap<>(rec);
        fields.remove(idKey);
        fields.remove(inputKey);
        fields.remove(answerKey);
        if (mapping.answerListInString() && rec.get(answerKey) instanceof String raw) fields.put(Example.REFERENCE_LIST_TEXT, raw);
        return new Example(id, input, Map.of(), answers, fields);
    }

    private Example multipleChoice(Map<String, Object> rec, String id, String idKey, String split, int index) {
        String inputKey = mapping.input() != null ? mapping.input() : "question";
        String choicesKey = mapping.choices() != null ? mapping.choices() : "choices";
        String answerKey = mapping.answer() != null ? mapping.answer() : "answer";
        String question = requireText(rec, inputKey, split, index);
        Object rawChoices = rec.get(choicesKey);
        Map<String, String> originalToLetter = new LinkedHashMap<>();
        Map<String, String> choices = new LinkedHashMap<>();
        if (rawChoices instanceof Map<?, ?> m) {
            // keys that are exactly A, B, C, ... are taken in letter order (an in-memory map may not keep order);
            // any other keys ("1".."4", "id", ...) are relabelled by position
            Iterable<? extends Map.Entry<?, ?>> entries = m.entrySet();
            if (isLetterSet(m.keySet()) && !inLetterOrder(m.keySet())) {
                entries = m.entrySet().stream().sorted(java.util.Comparator.comparing(e -> e.getKey().toString())).toList();
            }
            for (var e : entries) {
                String letter = letter(choices.size(), choicesKey, split, index);
                choices.put(letter, choiceText(e.getValue(), choicesKey + "." + e.getKey(), split, index));
                originalToLetter.put(String.valueOf(e.getKey()), letter);
            }
        } else if (rawChoices instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String letter = letter(i, choicesKey, split, index);
                choices.put(letter, choiceText(l.get(i), choicesKey + "[" + i + "]", split, index));
                originalToLetter.put(letter, letter);
            }
        } else {
            throw new DatasetFormatException(file, split, index, choicesKey,
                    rawChoices == null && !rec.containsKey(choicesKey) ? "missing (expected an object mapping letters to option texts)"
                            : "expected an object mapping letters to option texts, found " + JsonValues.describe(rawChoices));
        }
        if (choices.size() < 2) {
            throw new DatasetFormatException(file, split, index, choicesKey, "expected at least 2 options, found " + choices.size());
        }
        if (!rec.containsKey(answerKey)) {
            throw new DatasetFormatException(file, split, index, answerKey, "missing (expected one of the choice keys " + originalToLetter.keySet() + ")");
        }
        Object rawAnswer = rec.get(answerKey);
        String answerText;
        if (rawAnswer instanceof String s) answerText = s.strip();
        else if (isInteger(rawAnswer)) answerText = rawAnswer.toString();
        else throw new DatasetFormatException(file, split, index, answerKey,
                    "expected a string naming one of the choice keys " + originalToLetter.keySet() + ", found " + JsonValues.describe(rawAnswer));
        String letter = originalToLetter.get(answerText);
        if (letter == null) {
            throw new DatasetFormatException(file, split, index, answerKey,
                    "expected one of the choice keys " + originalToLetter.keySet() + ", found \"" + answerText + "\"");
        }
        Map<String, Object> fields = new LinkedHashMap<>(rec);
        fields.remove(idKey);
        fields.remove(inputKey);
        fields.remove(choicesKey);
        fields.remove(answerKey);
        // MoCo compares the file's answer key with the position letter, so such items never score in its
        // rules; the key is kept for the compatible evaluator (arc_challenge "2", tablemwp "id")
        if (!answerText.equals(letter)) fields.put(Example.ANSWER_KEY_IN_FILE, answerText);
        return new Example(id, question, choices, List.of(letter), fields);
    }

    private String letter(int position, String choicesKey, String split, int index) {
        if (position >= 26) throw new DatasetFormatException(file, split, index, choicesKey, "expected at most 26 options");
        return String.valueOf((char) ('A' + position));
    }

    private String choiceText(Object v, String where, String split, int index) {
        if (v instanceof String s) return s;
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        // culturalbench_hard dev[221] has a null option; the Python toolkit shows it as "None", and so do we
        if (v == null) return "None";
        throw new DatasetFormatException(file, split, index, where, "expected a string (the option text), found " + JsonValues.describe(v));
    }

    private String readId(Map<String, Object> rec, String key, String split, int index) {
        Object v = rec.get(key);
        if (v == null) return split + "-" + index;
        if (v instanceof String s) return s;
        if (isInteger(v)) return v.toString();
        throw new DatasetFormatException(file, split, index, key, "expected a string or an integer, found " + JsonValues.describe(v));
    }

    private String requireText(Map<String, Object> rec, String key, String split, int index) {
        if (!rec.containsKey(key)) {
            throw new DatasetFormatException(file, split, index, key, "missing (expected a string"
                    + (mapping.input() == null && !key.equals("test") ? "; if your records name it differently, use FieldMapping.input(...)" : "") + ")");
        }
        Object v = rec.get(key);
        if (v instanceof String s) return s;
        throw new DatasetFormatException(file, split, index, key, "expected a string, found " + JsonValues.describe(v));
    }

    private List<String> answers(Object v, String key, String split, int index) {
        if (v == null) return List.of();
        if (v instanceof String s) {
            if (mapping.answerListInString()) return parseListInString(s, key, split, index);
            return List.of(s);
        }
        if (v instanceof Number || v instanceof Boolean) return List.of(v.toString());
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                Object e = l.get(i);
                if (e instanceof String s) out.add(s);
                else if (e instanceof Number || e instanceof Boolean) out.add(e.toString());
                else throw new DatasetFormatException(file, split, index, key + "[" + i + "]", "expected a string, found " + JsonValues.describe(e));
            }
            return out;
        }
        throw new DatasetFormatException(file, split, index, key, "expected a string, found " + JsonValues.describe(v));
    }

    private List<String> parseListInString(String s, String key, String split, int index) {
        String problem = "expected a string holding a JSON list of strings (e.g. \"[\\\"A\\\", \\\"B\\\"]\"), found \"" + abbreviate(s) + "\"";
        try (JsonParser p = JSON.createParser(s)) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw new DatasetFormatException(file, split, index, key, problem);
            List<String> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) out.add(p.getText());
                else throw new DatasetFormatException(file, split, index, key, problem);
            }
            if (p.nextToken() != null) throw new DatasetFormatException(file, split, index, key, problem);
            return out;
        } catch (IOException e) {
            throw new DatasetFormatException(file, split, index, key, problem, e);
        }
    }

    private static boolean isLetterSet(java.util.Set<?> keys) {
        if (keys.size() > 26) return false;
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.contains(String.valueOf((char) ('A' + i)))) return false;
        }
        return true;
    }

    private static boolean inLetterOrder(java.util.Set<?> keys) {
        int i = 0;
        for (Object k : keys) if (!k.equals(String.valueOf((char) ('A' + i++)))) return false;
        return true;
    }

    private static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof java.math.BigInteger;
    }

    /** The file name or label used in messages. */
    public String label() { return file; }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
