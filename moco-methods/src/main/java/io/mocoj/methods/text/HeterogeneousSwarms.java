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
import io.mocoj.methods.toolbox.ParticleSwarm;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.methods.toolbox.Topology;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code text_heterogeneous_swarms} (Feng et al., 2025): the models form a directed acyclic graph
 * whose outputs flow into their successors' prompts; particle swarm optimisation searches the
 * graph on dev.
 * <ol>
 *   <li>a particle is an N×N weight matrix in [0, 1]; it is decoded into a tree flowing into one
 *       end node ({@link Topology#decodeTree}, top-p {@code graph_top_p});</li>
 *   <li>a graph runs in topological order: first nodes answer the question, later ones answer
 *       with their predecessors' responses in view; the end node's response is the output;</li>
 *   <li>{@code population} particles are scored by dev accuracy of their graph on the first
 *       {@code ratio} share of dev, for {@code max_iterations} swarm iterations;</li>
 *   <li>the graph that earned the best dev score answers the test split.</li>
 * </ol>
 * Calls: N per test example, plus N·population·max_iterations·⌊ratio·|dev|⌋ once.
 */
public final class HeterogeneousSwarms extends ConfiguredMethod<HeterogeneousSwarms> {
    public static final String NAME = "text_heterogeneous_swarms";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("population", 5, 1, 1000, "particles (graphs) per iteration"),
            ParameterSpec.integer("max_iterations", 5, 1, 1000, "swarm iterations, the first scoring the random start"),
            Debate.ratioParameter(0.25, "share of dev used to score graphs"),
            ParameterSpec.real("inertia", 0.2, 0, 10, "velocity inertia"),
            ParameterSpec.real("cognitive_coeff", 0.3, 0, 10, "pull towards a particle's own best"),
            ParameterSpec.real("social_coeff", 0.4, 0, 10, "pull towards the swarm's best"),
            ParameterSpec.real("repel_coeff", 0.05, 0, 10, "push away from the worst graph"),
            ParameterSpec.bool("repel_term", true, "whether the repel term is used"),
            ParameterSpec.real("step_length", 0.5, 0, 10, "step length applied to the velocity"),
            ParameterSpec.real("step_length_factor", 0.95, 0, 1, "step length decay per iteration"),
            ParameterSpec.real("minimum_step_length", 0.1, 0, 10, "floor of the step length"),
            ParameterSpec.integer("patience", 5, 1, 1000, "stop when the best dev score has not improved for this many iterations"),
            ParameterSpec.real("graph_top_p", 0.7, 0, 1, "top-p of the graph decoding draws (0: always the most likely)"));

    private final Hyperparameters hp;

    HeterogeneousSwarms(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.hp = hp;
    }

    /** A copy with {@code n} particles. */
    public HeterogeneousSwarms population(int n) { return with("population", n); }

    /** A copy with {@code n} swarm iterations. */
    public HeterogeneousSwarms maxIterations(int n) { return with("max_iterations", n); }

    /** A copy scoring graphs on this share of dev. */
    public HeterogeneousSwarms ratio(double share) { return with("ratio", share); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public void checkPool(List<ModelEndpoint> models) { Debate.requireTeam(NAME, models, 2); }

    /** One scored graph of the search. */
    public record Candidate(int iteration, int particle, List<List<Integer>> graph, double devScore) {}

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        int n = models.size();
        List<Example> dev = context.task().dev();
        if (dev.isEmpty()) throw new IllegalStateException(NAME + " searches graphs on the dev split, but task '" + context.task().name() + "' has none");
        List<Example> search = dev.subList(0, Math.max(1, (int) Math.floor(hp.getDouble("ratio") * dev.size())));
        List<Candidate> scored = new ArrayList<>();
        List<Topology> graphs = new ArrayList<>();
        AtomicInteger iteration = new AtomicInteger();
        ParticleSwarm.Result result = swarm(n).maximise(batch -> {
            int t = iteration.getAndIncrement();
            List<Topology> decoded = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                decoded.add(Topology.decodeTree(matrix(batch.get(i), n), hp.getDouble("graph_top_p"), context.random(NAME + "/decode/" + t + "/" + i)));
            }
            List<Double> scores = context.parallel(decoded, g -> devScore(context, g, search));
            double[] values = new double[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                values[i] = scores.get(i);
                scored.add(new Candidate(t, i, decoded.get(i).rows(), values[i]));
                graphs.add(decoded.get(i));
            }
            return values;
        }, context.random(NAME + "/swarm"));
        int bestAt = 0;
        for (int k = 1; k < scored.size(); k++) if (scored.get(k).devScore() > scored.get(bestAt).devScore()) bestAt = k;
        Topology best = graphs.get(bestAt);
        context.trace().record("swarm", Map.of("candidates", scored, "global_best_by_iteration",
                result.history().stream().map(ParticleSwarm.Iteration::globalBestValue).toList(), "best", scored.get(bestAt),
                "order", best.topologicalOrder().stream().map(m -> models.get(m).name()).toList()));
        return context.forEachTest((example, index) -> {
            String out = runGraph(context, best, example, index);
            if (out == null) throw new IllegalStateException("the end node " + models.get(end(best)).name() + " gave no response");
            return out;
        });
    }

    /** Mean score of the graph's outputs on the dev examples (all examples concurrently). */
    private static double devScore(MethodContext context, Topology g, List<Example> search) {
        List<String> outputs = context.parallel(search, e -> runGraph(context, g, e, -1));
        double sum = 0;
        for (int k = 0; k < search.size(); k++) sum += outputs.get(k) == null ? 0 : context.evaluator().score(search.get(k), outputs.get(k)).value();
        return sum / search.size();
    }

    private ParticleSwarm swarm(int n) {
        return ParticleSwarm.builder().dimensions(n * n).particles(hp.getInt("population")).iterations(hp.getInt("max_iterations") - 1)
                .bounds(0, 1).inertia(hp.getDouble("inertia")).cognitive(hp.getDouble("cognitive_coeff")).social(hp.getDouble("social_coeff"))
                .repel(hp.getBoolean("repel_term") ? hp.getDouble("repel_coeff") : 0)
                .step(hp.getDouble("step_length"), hp.getDouble("step_length_factor"), hp.getDouble("minimum_step_length"))
                .patience(hp.getInt("patience")).build();
    }

    private static double[][] matrix(double[] flat, int n) {
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = Arrays.copyOfRange(flat, i * n, (i + 1) * n);
        return m;
    }

    private static int end(Topology g) {
        List<Integer> order = g.topologicalOrder();
        return order.get(order.size() - 1);
    }

    /** Runs the graph on one example, node after node; returns the end node's response (null if it failed). Traced when index ≥ 0. */
    private static String runGraph(MethodContext context, Topology g, Example example, int index) {
        List<ModelEndpoint> models = context.models();
        String question = context.evaluator().prompt(example);
        List<String> responses = new ArrayList<>(java.util.Collections.nCopies(models.size(), (String) null));
        int end = end(g);
        for (int node : g.topologicalOrder()) {
            List<String> previous = Debate.of(responses, g.inNeighbours(node));
            Generation r = Answers.askOrNull(context, models.get(node), TeamPrompts.graphNode(question, previous, node == end));
            responses.set(node, r == null ? null : r.text());
        }
        if (index >= 0) Debate.record(context, example, index, 1, "graph", models, responses, null);
        return responses.get(end);
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "models as a DAG whose outputs flow into successors; particle swarm optimisation searches the graph on dev"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public HeterogeneousSwarms create(Hyperparameters hp) { return new HeterogeneousSwarms(this, hp); }
    }
}
