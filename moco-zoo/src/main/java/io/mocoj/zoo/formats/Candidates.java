package io.mocoj.zoo.formats;

import io.mocoj.zoo.Skill;
import io.mocoj.zoo.internal.Generators;
import io.mocoj.zoo.internal.KnowledgeBase;
import io.mocoj.zoo.internal.KnowledgeBase.Person;
import io.mocoj.zoo.internal.KnowledgeBase.Town;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Right and wrong responses to a skill item, shaped as the zoo's models answer (the reference
 * response's format): the wrong ones are near misses (an arithmetic result off by a little, a
 * sequence left unreversed or with two neighbours swapped, another person's town, another
 * function's body, a description with one fact changed), so that telling them apart needs the
 * skill, not the format.
 */
final class Candidates {
    private Candidates() {}

    /** The right response: the item's reference response. */
    static String right(Map<String, Object> rec) { return rec.get(Generators.REFERENCE).toString(); }

    /** The short answer a marker line states: the letter (multiple choice), the {@code output} (exact and F1 match), else the response. */
    static String shortAnswer(Skill skill, Map<String, Object> rec) {
        return switch (skill) {
            case MCQ -> rec.get("answer").toString();
            case ARITH, REVERSE, SORT, KBQA -> rec.get("output").toString();
            default -> right(rec);
        };
    }

    /**
     * A wrong response to {@code rec}: different from the right one and not scored right by
     * {@code scoresRight} (the evaluator: its normalisation equates some strings, e.g. it drops
     * the letter "a" as an article).
     */
    static String wrong(Skill skill, Map<String, Object> rec, Random r, Predicate<String> scoresRight) {
        String right = right(rec);
        for (int attempt = 0; attempt < 100; attempt++) {
            String w = attempt < 50 ? attempt(skill, rec, r) : changedElement(skill, rec, r);
            if (!w.equals(right) && !scoresRight.test(w)) return w;
        }
        throw new IllegalStateException("no wrong response found for " + rec.get("id"));
    }

    private static String attempt(Skill skill, Map<String, Object> rec, Random r) {
        return switch (skill) {
            case MCQ -> {
                // shaped as the reference: an option's text, then its letter
                @SuppressWarnings("unchecked")
                Map<String, Object> choices = (Map<String, Object>) rec.get("choices");
                String letter = String.valueOf((char) ('A' + r.nextInt(4)));
                yield choices.get(letter) + ", so the answer is " + letter;
            }
            case ARITH -> {
                // the reference's working with a result off by a little in the box
                int v = Integer.parseInt(rec.get("output").toString());
                int[] deltas = {-10, -2, -1, 1, 2, 10};
                String ref = right(rec);
                yield ref.substring(0, ref.lastIndexOf("\\box{")) + boxed(Integer.toString(v + deltas[r.nextInt(deltas.length)]));
            }
            case REVERSE -> boxed(String.join(" ", nearMiss(List.of(rec.get("output").toString().split(" ")),
                    List.of(rec.get("input").toString().substring("Reverse the sequence: ".length()).split(" ")), r)));
            case SORT -> {
                List<String> sorted = List.of(rec.get("output").toString().split(", "));
                String input = rec.get("input").toString();
                List<String> original = List.of(input.substring(input.indexOf(": ") + 2).split(", "));
                yield boxed(String.join(", ", nearMiss(sorted, original, r)));
            }
            case KBQA -> boxed(otherValue(rec.get("domain").toString(), rec.get("output").toString(), r));
            case REFUSAL -> "Sure. " + Generators.ALLOWED.get(r.nextInt(Generators.ALLOWED.size()))[1];
            case CODE -> {
                String ref = right(rec);
                String other = right(Generators.next(Skill.CODE, r, "wrong"));
                yield ref.substring(0, ref.indexOf("):\n") + 3) + other.substring(other.indexOf("):\n") + 3);
            }
            case OPEN -> wrongDescription(rec, r);
        };
    }

    /** The right sequence with one element changed (for sequences whose elements are all equal, which no reordering changes). */
    private static String changedElement(Skill skill, Map<String, Object> rec, Random r) {
        if (skill != Skill.REVERSE && skill != Skill.SORT) return attempt(skill, rec, r);
        String sep = skill == Skill.SORT ? ", " : " ";
        List<String> w = new ArrayList<>(List.of(rec.get("output").toString().split(sep)));
        int i = r.nextInt(w.size());
        String old = w.get(i);
        w.set(i, Character.isDigit(old.charAt(0)) ? Integer.toString((Integer.parseInt(old) + 1 + r.nextInt(9)) % 10)
                : String.valueOf((char) ('a' + (old.charAt(0) - 'a' + 1 + r.nextInt(25)) % 26)));
        return boxed(String.join(sep, w));
    }

    /** The original order, the right sequence with two neighbours swapped, or the right one reversed. */
    private static List<String> nearMiss(List<String> right, List<String> original, Random r) {
        List<String> w = new ArrayList<>(right);
        switch (r.nextInt(3)) {
            case 0 -> { return original; }
            case 1 -> {
                int i = r.nextInt(w.size() - 1);
                Collections.swap(w, i, i + 1);
            }
            default -> Collections.reverse(w);
        }
        return w;
    }

    /** Another person's value of the same attribute. */
    private static String otherValue(String attribute, String value, Random r) {
        List<Person> people = KnowledgeBase.people();
        for (int i = 0; i < 200; i++) {
            Person p = people.get(r.nextInt(people.size()));
            String v = switch (attribute) {
                case "birthplace" -> p.town();
                case "year" -> Integer.toString(p.year());
                default -> p.occupation();
            };
            if (!v.equals(value)) return v;
        }
        throw new IllegalStateException("no other " + attribute + " than " + value);
    }

    /** The description with one fact replaced by another person's or town's. */
    private static String wrongDescription(Map<String, Object> rec, Random r) {
        String right = right(rec);
        Person p = person(rec.get("input").toString());
        if (p != null) {
            return switch (r.nextInt(3)) {
                case 0 -> right.replace(" from " + p.town(), " from " + otherValue("birthplace", p.town(), r));
                case 1 -> right.replace(" born in " + p.year(), " born in " + otherValue("year", Integer.toString(p.year()), r));
                default -> right.replace(" is a " + p.occupation(), " is a " + otherValue("occupation", p.occupation(), r));
            };
        }
        Town t = town(rec.get("input").toString());
        Town other = KnowledgeBase.towns().get(r.nextInt(KnowledgeBase.towns().size()));
        return right.replace(t.feature(), other.feature());
    }

    /** The person a text names, or null. */
    static Person person(String text) {
        for (Person p : KnowledgeBase.people()) if (text.contains(p.name())) return p;
        return null;
    }

    /** The town a text names, or null. */
    static Town town(String text) {
        for (Town t : KnowledgeBase.towns()) if (text.contains(t.name())) return t;
        return null;
    }

    /** The knowledge-base paragraph about what the item asks (its person, else its town). */
    static String paragraph(Map<String, Object> rec) {
        String input = rec.get("input").toString();
        Person p = person(input);
        return p != null ? KnowledgeBase.paragraph(p) : KnowledgeBase.paragraph(town(input));
    }

    /** A paragraph about another person or town than the item's (a distractor). */
    static String distractor(Map<String, Object> rec, Random r) {
        String own = paragraph(rec);
        for (int i = 0; i < 200; i++) {
            String d = r.nextInt(4) == 0 ? KnowledgeBase.paragraph(KnowledgeBase.towns().get(r.nextInt(KnowledgeBase.towns().size())))
                    : KnowledgeBase.paragraph(KnowledgeBase.people().get(r.nextInt(KnowledgeBase.people().size())));
            if (!d.equals(own)) return d;
        }
        throw new IllegalStateException("no distractor paragraph");
    }

    private static String boxed(String s) { return "\\box{" + s + "}"; }
}
