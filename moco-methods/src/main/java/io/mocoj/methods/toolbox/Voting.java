package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Plurality voting over extracted answers (one per voter, e.g. per model). An empty or null
 * answer ("nothing could be extracted" or "the call failed") is not a vote; the count is over
 * the remaining answers.
 */
public final class Voting {
    private Voting() {}

    /**
     * The count of every answer and the answers with the highest count.
     *
     * @param counts  answer → votes, in order of first appearance
     * @param top     the highest count (0 when nobody voted)
     * @param leaders the answers with {@code top} votes, in order of first appearance (empty when nobody voted)
     */
    public record Tally(Map<String, Integer> counts, int top, List<String> leaders) {
        public Tally {
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
            leaders = List.copyOf(leaders);
        }

        /** Whether two or more answers share the highest count. */
        public boolean tied() { return leaders.size() > 1; }

        /** Whether at least one voter gave an answer. */
        public boolean hasVotes() { return top > 0; }
    }

    /** Counts answers; null and empty answers are skipped. */
    public static Tally tally(List<String> answers) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String a : answers) {
            if (a == null || a.isEmpty()) continue;
            counts.merge(a, 1, Integer::sum);
        }
        int top = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> leaders = new ArrayList<>();
        counts.forEach((a, c) -> { if (c == top) leaders.add(a); });
        return new Tally(counts, top, leaders);
    }

    /**
     * Breaks a tie by voter priority: the leader given by the first voter in {@code priority}
     * (voter indices, most trusted first) whose answer is a leader.
     *
     * @param answersByVoter each voter's answer (index = voter)
     * @throws IllegalArgumentException when no voter in {@code priority} gave a leading answer
     */
    public static String byPriority(List<String> leaders, List<String> answersByVoter, List<Integer> priority) {
        for (int voter : priority) {
            String a = answersByVoter.get(voter);
            if (a != null && leaders.contains(a)) return a;
        }
        throw new IllegalArgumentException("no voter in priority order " + priority + " gave one of the leading answers " + leaders);
    }

    /** Breaks a tie uniformly at random among the leaders. */
    public static String atRandom(List<String> leaders, RandomGenerator random) {
        if (leaders.isEmpty()) throw new IllegalArgumentException("no leading answers to choose from");
        return leaders.size() == 1 ? leaders.get(0) : leaders.get(random.nextInt(leaders.size()));
    }

    /**
     * Decides among the leaders by a tie rule: {@link Tie#RANDOM} draws from {@code random};
     * {@link Tie#DEV_BASED} and {@link Tie#MODEL_ORDER} take the leader of the first voter in
     * {@code priority} (pass the dev ranking, or the pool order, accordingly).
     */
    public static String breakTie(Tie tie, List<String> leaders, List<String> answersByVoter, List<Integer> priority,
                                  RandomGenerator random) {
        if (leaders.size() == 1) return leaders.get(0);
        return switch (tie) {
            case RANDOM -> atRandom(leaders, random);
            case DEV_BASED, MODEL_ORDER -> byPriority(leaders, answersByVoter, priority);
        };
    }

    /** The first voter in {@code order} that gave {@code answer}, or -1. */
    public static int firstVoterFor(String answer, List<String> answersByVoter, List<Integer> order) {
        for (int voter : order) {
            if (answer.equals(answersByVoter.get(voter))) return voter;
        }
        return -1;
    }
}
