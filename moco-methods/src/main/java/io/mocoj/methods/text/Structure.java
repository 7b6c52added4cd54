package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.BestDevModel;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.methods.toolbox.Topology;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code text_structure}: agents exchange answers along a fixed communication graph.
 * <ol>
 *   <li>the graph is {@code structure_type} (chain, tree, star, circle, complete) or the given
 *       {@code structure_matrix} ("other"; M[i][j] = 1: j sees i);</li>
 *   <li>round 1: every agent answers;</li>
 *   <li>rounds 2..{@code num_rounds}: an agent with in-neighbours refines its previous answer
 *       after seeing only their previous-round answers; an agent without keeps its answer;</li>
 *   <li>the output is the final answer of the best model on the first {@code ratio} share of dev.</li>
 * </ol>
 * Calls per test example: N + (num_rounds − 1)·(agents with in-neighbours).
 */
public final class Structure extends ConfiguredMethod<Structure> {
    public static final String NAME = "text_structure";

    static final List<ParameterSpec> PARAMETERS = List.of(
            Debate.roundsParameter("num_rounds", 3),
            ParameterSpec.choice("structure_type", null, Topology.SHAPES, "the communication graph"),
            ParameterSpec.list("structure_matrix", ParameterSpec.Type.INT_MATRIX, null,
                    "N×N 0/1 matrix for structure_type \"other\": M[i][j] = 1 means model j sees model i"),
            Debate.ratioParameter());

    private final int rounds;
    private final String shape;
    private final List<List<Integer>> matrix;
    private final double ratio;

    Structure(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.rounds = hp.getInt("num_rounds");
        this.shape = hp.getString("structure_type");
        this.matrix = hp.getList("structure_matrix");
        this.ratio = hp.getDouble("ratio");
    }

    /** A copy with {@code n} rounds. */
    public Structure rounds(int n) { return with("num_rounds", n); }

    /** A copy with a named graph: chain, tree, star, circle or complete. */
    public Structure structure(String type) { return with("structure_type", type); }

    /** A copy with a given graph ({@code rows.get(i).get(j) == 1}: model j sees model i). */
    public Structure structureMatrix(List<List<Integer>> rows) { return with("structure_type", "other").with("structure_matrix", rows); }

    /** A copy choosing the output model on this share of dev. */
    public Structure ratio(double share) { return with("ratio", share); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 2);
        topology(models.size());
    }

    /** The graph for {@code n} models; refuses a missing type, or a matrix that is missing or of the wrong size. */
    Topology topology(int n) {
        if (shape == null) {
            throw new IllegalArgumentException(NAME + " needs hyperparameter 'structure_type', one of " + Topology.SHAPES);
        }
        if (!shape.equals("other")) return Topology.named(shape, n);
        if (matrix == null) {
            throw new IllegalArgumentException(NAME + ": structure_type \"other\" needs 'structure_matrix', an N×N list of 0/1 rows");
        }
        if (matrix.size() != n) {
            throw new IllegalArgumentException(NAME + ": structure_matrix has " + matrix.size() + " rows but the pool has " + n
                    + " models; give one row and one column per model");
        }
        return Topology.ofMatrix(matrix);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> agents = context.models();
        Topology graph = topology(agents.size());
        context.trace().record("structure", Map.of("type", graph.shape(), "matrix", graph.rows()));
        int output = BestDevModel.choose(context, ratio).index();
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> answers = Debate.run(context, example, index, rounds, "refine", (r, seen) -> Debate.step(context, agents, seen, i -> {
                List<String> neighbours = Debate.of(seen, graph.inNeighbours(i));
                return neighbours.isEmpty() ? null : TeamPrompts.refine(question, seen.get(i), neighbours);
            }));
            if (answers.get(output) == null) {
                throw new IllegalStateException("the output model " + agents.get(output).name() + " has no answer: its first call failed");
            }
            return answers.get(output);
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "answers exchanged along a fixed graph for num_rounds rounds; the best dev model's answer is output"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public Structure create(Hyperparameters hp) { return new Structure(this, hp); }
    }
}
