package io.mocoj.internal.engine;

import io.mocoj.method.DevEvaluation;
import io.mocoj.model.Generation;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import java.util.List;

/** Dev-split generations and scores of every model, computed once per run by {@link RunContext}. */
record DevEvaluationImpl(List<Example> examples, Generation[][] generations, Score[][] scores, int[] failureCounts)
        implements DevEvaluation {

    @Override public int modelCount() { return generations.length; }

    @Override public Generation generation(int model, int example) { return generations[model][example]; }

    @Override public Score score(int model, int example) { return scores[model][example]; }

    @Override public int failures(int model) { return failureCounts[model]; }
}
