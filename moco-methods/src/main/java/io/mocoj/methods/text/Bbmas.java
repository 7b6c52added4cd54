package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.Answers;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code text_bbmas}, a blackboard multi-agent system:
 * <ol>
 *   <li>per iteration, min(N, {@code max_num_agents_to_act}) agents drawn at random each choose an
 *       action (propose a strategy, execute a step, critique and refine, terminate) — retried up to
 *       {@code max_num_retries} times when the reply names no single action — and carry it out;
 *       every result becomes a board entry ("INVALID ACTION" after the retries);</li>
 *   <li>the session stops when at least {@code min_num_agents_to_stop} agents of an iteration
 *       chose to terminate, or after {@code max_iterations} iterations;</li>
 *   <li>the conclusions are the last iteration's entries (the text after {@code FINAL:} where
 *       present); with more than one, every agent votes and the most voted wins (earliest among
 *       equal counts; an unreadable vote counts for conclusion 1 after the retries).</li>
 * </ol>
 * Calls per example: Σ over iterations of (selection attempts + executions) + N votes when
 * several conclusions remain; at most max_iterations·min(N, max_num_agents_to_act)·(max_num_retries + 1) + N·max_num_retries.
 */
public final class Bbmas extends ConfiguredMethod<Bbmas> {
    public static final String NAME = "text_bbmas";
    private static final Pattern VOTE = Pattern.compile("(?i)conclusion\\s*#\\s*(\\d+)");

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("max_num_agents_to_act", 1, 1, 1000, "agents acting per iteration"),
            ParameterSpec.integer("min_num_agents_to_stop", 1, 1, 1000, "terminate requests in one iteration that stop the session"),
            ParameterSpec.integer("agent_idle_threshold", 6, 0, 1_000_000, "accepted as in MoCo, where every agent is eligible in every iteration"),
            ParameterSpec.integer("max_iterations", 10, 1, 10_000, "iterations before the session is stopped"),
            ParameterSpec.integer("max_num_retries", 3, 1, 100, "attempts to get a readable action choice or vote"));

    private final int maxActing;
    private final int minStop;
    private final int maxIterations;
    private final int retries;

    Bbmas(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.maxActing = hp.getInt("max_num_agents_to_act");
        this.minStop = hp.getInt("min_num_agents_to_stop");
        this.maxIterations = hp.getInt("max_iterations");
        this.retries = hp.getInt("max_num_retries");
    }

    /** A copy letting {@code n} agents act per iteration. */
    public Bbmas maxAgentsToAct(int n) { return with("max_num_agents_to_act", n); }

    /** A copy stopping when {@code n} agents of an iteration choose to terminate. */
    public Bbmas minAgentsToStop(int n) { return with("min_num_agents_to_stop", n); }

    /** A copy with at most {@code n} iterations. */
    public Bbmas maxIterations(int n) { return with("max_iterations", n); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 2);
        if (minStop > Math.min(models.size(), maxActing)) {
            throw new IllegalArgumentException(NAME + ": min_num_agents_to_stop is " + minStop + " but at most min(N, max_num_agents_to_act) = "
                    + Math.min(models.size(), maxActing) + " agents act per iteration, so the vote could never stop the session; lower it");
        }
    }

    /** A board entry: its number, the iteration, the author, the action chosen ("invalid" after failed retries), the attempts and the text. */
    public record Entry(int id, int iteration, String author, String action, int attempts, String text) {}

    /** The final vote (empty when one conclusion remained). */
    public record Vote(List<String> conclusions, Map<String, Integer> votes, int winner) {}

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> agents = context.models();
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<Entry> board = new ArrayList<>();
            RandomGenerator random = context.random(NAME + "/acting/" + index);
            int iteration = 0;
            boolean stopped = false;
            while (!stopped && iteration < maxIterations) {
                iteration++;
                List<Integer> pool = new ArrayList<>();
                for (int i = 0; i < agents.size(); i++) pool.add(i);
                List<Integer> acting = new ArrayList<>();
                for (int k = 0; k < Math.min(agents.size(), maxActing); k++) acting.add(pool.remove(random.nextInt(pool.size())));
                String view = render(question, board);
                int it = iteration;
                List<Entry> added = context.parallel(acting, a -> act(context, agents.get(a), view, it, board.size() + acting.indexOf(a)));
                board.addAll(added);
                long stops = added.stream().filter(e -> e.action().equals(TeamPrompts.BOARD_ACTIONS.get(3))).count();
                context.trace().record(index, "iteration", Map.of("iteration", iteration, "entries", added, "terminate_requests", stops));
                stopped = stops >= minStop;
            }
            int last = iteration;
            List<String> conclusions = conclusions(board.stream().filter(e -> e.iteration() == last).toList());
            String output = conclusions.size() == 1 ? conclusions.get(0) : vote(context, agents, render(question, board), conclusions, index);
            context.trace().record(index, "session", Map.of("iterations", iteration, "stopped_by_vote", stopped, "output", output));
            return output;
        });
    }

    private static String render(String question, List<Entry> board) {
        List<String> headers = new ArrayList<>(), texts = new ArrayList<>();
        for (Entry e : board) {
            headers.add("Entry #" + e.id() + " (iteration " + e.iteration() + ", " + e.author() + "):");
            texts.add(e.text());
        }
        return TeamPrompts.board(question, headers, texts);
    }

    /** One agent chooses an action (with retries) and carries it out. */
    private Entry act(MethodContext context, ModelEndpoint agent, String view, int iteration, int id) {
        for (int attempt = 1; attempt <= retries; attempt++) {
            Generation choice = Answers.askOrNull(context, agent, TeamPrompts.selectAction(view));
            String action = choice == null ? null : chosenAction(choice.text());
            if (action == null) continue;
            Generation done = Answers.askOrNull(context, agent, TeamPrompts.executeAction(view, action, choice.text()));
            if (done == null) continue;
            return new Entry(id, iteration, agent.name(), action, attempt, choice.text().strip() + "\n\n" + done.text());
        }
        return new Entry(id, iteration, agent.name(), "invalid", retries, "INVALID ACTION");
    }

    /** The action a reply names, when it names exactly one. */
    static String chosenAction(String reply) {
        String lower = reply.toLowerCase(java.util.Locale.ROOT);
        List<String> named = TeamPrompts.BOARD_ACTIONS.stream().filter(lower::contains).toList();
        return named.size() == 1 ? named.get(0) : null;
    }

    private static List<String> conclusions(List<Entry> last) {
        List<String> finals = new ArrayList<>();
        for (Entry e : last) if (e.text().contains("FINAL:")) finals.add(e.text().substring(e.text().lastIndexOf("FINAL:") + 6).strip());
        if (!finals.isEmpty()) return finals;
        List<String> all = last.stream().map(e -> e.text().strip()).toList();
        return all.isEmpty() ? List.of("No conclusion.") : all;
    }

    private String vote(MethodContext context, List<ModelEndpoint> agents, String view, List<String> conclusions, int index) {
        String prompt = TeamPrompts.vote(view, conclusions);
        List<Integer> ballots = context.parallel(agents, a -> {
            for (int attempt = 1; attempt <= retries; attempt++) {
                Generation g = Answers.askOrNull(context, a, prompt);
                Matcher m = g == null ? null : VOTE.matcher(g.text());
                int pick = -1;
                while (m != null && m.find()) pick = Integer.parseInt(m.group(1));
                if (pick >= 1) return pick;
            }
            return 1;
        });
        Map<String, Integer> byAgent = new LinkedHashMap<>();
        int[] counts = new int[conclusions.size() + 1];
        for (int i = 0; i < agents.size(); i++) {
            byAgent.put(agents.get(i).name(), ballots.get(i));
            if (ballots.get(i) <= conclusions.size()) counts[ballots.get(i)]++;
        }
        int winner = 1;
        for (int k : ballots) if (k <= conclusions.size() && counts[k] > counts[winner]) winner = k;
        context.trace().record(index, "vote", Map.of("vote", new Vote(conclusions, byAgent, winner)));
        return conclusions.get(winner - 1);
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "blackboard: agents choose and carry out actions on a shared board until enough vote to stop; final vote"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public Bbmas create(Hyperparameters hp) { return new Bbmas(this, hp); }
    }
}
