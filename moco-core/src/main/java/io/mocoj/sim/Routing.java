package io.mocoj.sim;

import io.mocoj.sim.internal.Draws;
import io.mocoj.sim.internal.NormalizedText;
import io.mocoj.sim.internal.PromptReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a simulated model answers "which model should answer": prefers candidates described with the example's group. */
final class Routing {
    private static final long P_ROUTE = 7, P_ROUTE_PICK = 8;

    private Routing() {}

    /**
     * With probability {@code skill}, one of the candidates whose description names the group (if
     * any), else one of all candidates, uniformly.
     */
    static String choose(Optional<String> group, long key, List<PromptReader.Candidate> candidates, double skill) {
        List<PromptReader.Candidate> matching = new ArrayList<>();
        if (group.isPresent()) {
            String g = " " + new NormalizedText(group.get()) + " ";
            if (!g.isBlank()) {
                for (PromptReader.Candidate c : candidates) {
                    if ((" " + new NormalizedText(c.description()) + " ").contains(g)) matching.add(c);
                }
            }
        }
        List<PromptReader.Candidate> from = !matching.isEmpty() && Draws.uniform(key, P_ROUTE) < skill ? matching : candidates;
        return from.get(Draws.below(Draws.combine(key, P_ROUTE_PICK), from.size())).label();
    }
}
