package io.mocoj.methods.text;

import io.mocoj.methods.toolbox.Voting;
import io.mocoj.train.TrainingExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The SFT sets of multiagent finetuning (Subramaniam et al., 2025) built from debates on dev.
 * Per example the consensus is the most frequent final-round answer (ties: the lexicographically
 * smallest, as MoCo); its representative response is the most frequent raw final response among
 * the agents that gave it (ties likewise). Per agent:
 * <ul>
 *   <li>generation set: (task prompt, its first response) where its first answer is the consensus;</li>
 *   <li>critic candidates, where its final answer is the consensus: "fixed a mistake" (first answer
 *       was not the consensus) and "stayed correct"; each row is (the final-round prompt the agent
 *       saw, the consensus response);</li>
 *   <li>critic set: {@code max(1, ⌊w·|fixed|⌋)} fixed rows (none if {@code w = 0}) and
 *       {@code max(1, ⌊(1−w)·|stayed|⌋)} stayed rows (none if {@code w = 1}), sampled without
 *       replacement, capped at what exists.</li>
 * </ul>
 */
final class FinetuningData {
    private FinetuningData() {}

    /** One dev example's debate: the task prompt, each round's responses and answers per agent, and the final round's prompt per agent (null for one-round debates). */
    record Debate(String prompt, List<List<String>> responses, List<List<String>> answers, List<String> finalPrompts) {}

    /** One agent's sets. */
    record AgentSets(List<TrainingExample.Completion> generation, List<TrainingExample.Completion> fixedMistake,
                     List<TrainingExample.Completion> stayedCorrect, List<TrainingExample.Completion> critic) {}

    /** Per example consensus answers and per agent sets. */
    record Sets(List<String> consensus, List<AgentSets> agents) {}

    static Sets build(List<Debate> debates, int agents, double w, List<RandomGenerator> randomPerAgent) {
        List<String> consensus = new ArrayList<>();
        List<List<TrainingExample.Completion>> gen = lists(agents), fixed = lists(agents), stayed = lists(agents);
        for (Debate d : debates) {
            List<String> first = d.answers().get(0), last = d.answers().get(d.answers().size() - 1);
            List<String> lastResponses = d.responses().get(d.responses().size() - 1);
            String c = consensus(last);
            consensus.add(c);
            if (c == null) continue;
            String representative = representative(c, last, lastResponses);
            boolean oneRound = d.responses().size() == 1;
            for (int n = 0; n < agents; n++) {
                if (c.equals(norm(first.get(n)))) gen.get(n).add(new TrainingExample.Completion(d.prompt(), d.responses().get(0).get(n).strip()));
                if (!oneRound && c.equals(norm(last.get(n))) && d.finalPrompts().get(n) != null) {
                    var row = new TrainingExample.Completion(d.finalPrompts().get(n), representative);
                    (c.equals(norm(first.get(n))) ? stayed : fixed).get(n).add(row);
                }
            }
        }
        List<AgentSets> out = new ArrayList<>();
        for (int n = 0; n < agents; n++) {
            List<TrainingExample.Completion> critic = new ArrayList<>();
            critic.addAll(sample(fixed.get(n), w > 0 ? Math.max(1, (int) (fixed.get(n).size() * w)) : 0, randomPerAgent.get(n)));
            critic.addAll(sample(stayed.get(n), 1 - w > 0 ? Math.max(1, (int) (stayed.get(n).size() * (1 - w))) : 0, randomPerAgent.get(n)));
            out.add(new AgentSets(List.copyOf(gen.get(n)), List.copyOf(fixed.get(n)), List.copyOf(stayed.get(n)), List.copyOf(critic)));
        }
        return new Sets(Collections.unmodifiableList(consensus), List.copyOf(out));
    }

    /** The most frequent answer (null, blank answers are not votes); ties go to the lexicographically smallest. Null when nobody answered. */
    static String consensus(List<String> answers) {
        List<String> normed = new ArrayList<>();
        for (String a : answers) normed.add(norm(a));
        Voting.Tally t = Voting.tally(normed);
        if (!t.hasVotes()) return null;
        return t.leaders().stream().min(String::compareTo).orElseThrow();
    }

    private static String representative(String c, List<String> answers, List<String> responses) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int n = 0; n < answers.size(); n++) {
            if (c.equals(norm(answers.get(n))) && responses.get(n) != null) counts.merge(responses.get(n).strip(), 1, Integer::sum);
        }
        String best = null;
        int top = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) if (e.getValue() > top) { best = e.getKey(); top = e.getValue(); }
        return best;
    }

    private static String norm(String answer) { return answer == null ? null : answer.strip(); }

    private static <T> List<T> sample(List<T> from, int k, RandomGenerator random) {
        List<T> pool = new ArrayList<>(from);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, from.size()); i++) out.add(pool.remove(random.nextInt(pool.size())));
        return out;
    }

    private static <T> List<List<T>> lists(int n) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new ArrayList<>());
        return out;
    }
}
