package io.mocoj.sim;

import static io.mocoj.sim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimSpecResolverTest {
    static final Task MCQ = mcqTask(1000);

    @Test
    void resolvesThroughTheServiceLoader() {
        ModelEndpoint m = ModelSpecs.resolve(
                "sim:a?accuracy=0.6&style=paren&calibration=1&latency_ms=0&persuade=0.3&error_rate=0.01&rate_limit=0.01"
                        + "&garbage=0.0&acc.math=0.9&seed=7&price_in=1&price_out=2", SpecContext.of(MCQ, 1));
        SimulatedModel s = assertInstanceOf(SimulatedModel.class, m);
        assertEquals("sim:a", s.name());
        assertTrue(s.simulated());
        assertTrue(s.identity().startsWith("simulated:a|"));
        for (String part : new String[] {"seed=7", "accuracy=0.6", "acc.math=0.9", "style=paren", "calibration=1.0", "persuade=0.3",
                "error_rate=0.01", "rate_limit=0.01", "price_in=1.0", "price_out=2.0"}) {
            assertTrue(s.identity().contains(part), part + " in " + s.identity());
        }
        assertEquals(1.0, s.pricing().inputPerMillion());
        assertEquals(2.0, s.pricing().outputPerMillion());
        assertEquals(0.9, s.accuracyFor(MCQ.test().get(0)));
        assertEquals(0.6, s.accuracyFor(MCQ.test().get(1)));
        assertTrue(ModelSpecs.acceptedForms().contains("sim:NAME"));
    }

    @Test
    void seedDefaultsToTheContextSeedAndTheSpecDrivesBehaviour() {
        SimulatedModel fromSpec = (SimulatedModel) ModelSpecs.resolve("sim:b?accuracy=0.25&style=letter", SpecContext.of(MCQ, 99));
        SimulatedModel built = SimulatedModel.builder(MCQ).name("b").accuracy(0.25).style(AnswerStyle.LETTER).seed(99).build();
        assertEquals(built.identity(), fromSpec.identity());
        long correct = 0;
        for (Example e : MCQ.test()) {
            String r = ask(fromSpec, mcqPrompt(e)).text();
            assertEquals(ask(built, mcqPrompt(e)).text(), r);
            assertTrue(r.matches("[A-D]"), r);
            if (r.equals(e.answer())) correct++;
        }
        assertRate(0.25, correct, 1000, "accuracy from the spec");
    }

    @Test
    void clearErrors() {
        var noTask = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a", new SpecContext(Optional.empty(), 1)));
        assertTrue(noTask.getMessage().contains("simulated models need the task to know its answers"), noTask.getMessage());

        var unknown = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a?acuracy=0.5", SpecContext.of(MCQ, 1)));
        assertTrue(unknown.getMessage().contains("unknown option 'acuracy'") && unknown.getMessage().contains("accuracy, style"),
                unknown.getMessage());

        var notNumber = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a?accuracy=high", SpecContext.of(MCQ, 1)));
        assertTrue(notNumber.getMessage().contains("accuracy=high"), notNumber.getMessage());

        var range = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a?persuade=2", SpecContext.of(MCQ, 1)));
        assertTrue(range.getMessage().contains("persuade must be in [0, 1]") && range.getMessage().contains("sim:a?persuade=2"),
                range.getMessage());

        var group = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a?acc.physics=0.9", SpecContext.of(MCQ, 1)));
        assertTrue(group.getMessage().contains("physics") && group.getMessage().contains("law, math"), group.getMessage());

        var style = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a?style=fancy", SpecContext.of(MCQ, 1)));
        assertTrue(style.getMessage().contains("fancy") && style.getMessage().contains("paren"), style.getMessage());

        var fail = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:a?fail=sometimes", SpecContext.of(MCQ, 1)));
        assertTrue(fail.getMessage().contains("auth"), fail.getMessage());

        var noName = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("sim:?accuracy=1", SpecContext.of(MCQ, 1)));
        assertTrue(noName.getMessage().contains("needs a name"), noName.getMessage());
    }

    @Test
    void formatAndFailureOptions() {
        SimulatedModel f = (SimulatedModel) ModelSpecs.resolve("sim:f?accuracy=1&format=" + "Choice%3A%20%5B{answer}%5D", SpecContext.of(MCQ, 1));
        Example e = MCQ.test().get(3);
        assertEquals("Choice: [" + e.answer() + "]", ask(f, mcqPrompt(e)).text());
        SimulatedModel auth = (SimulatedModel) ModelSpecs.resolve("sim:x?fail=auth", SpecContext.of(MCQ, 1));
        var ex = assertThrows(io.mocoj.model.ModelCallException.class, () -> ask(auth, "hi"));
        assertEquals(401, ex.httpStatus());
        assertFalse(ex.transientFailure());
    }
}
