package io.mocoj.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Level;
import io.mocoj.method.MethodRegistry;
import io.mocoj.methods.api.Cascade;
import io.mocoj.methods.api.CascadeMode;
import io.mocoj.methods.api.PromptRouting;
import io.mocoj.methods.api.SingleModel;
import io.mocoj.methods.text.MajorityVote;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.model.Capability;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Names, defaults and validation of the hyperparameters, through the config path and the fluent path. */
class MethodConfigTest {

    private static CollaborationMethod fromConfig(String name, Map<String, ?> hyperparameters) {
        return MethodRegistry.byName(name).create(hyperparameters);
    }

    @Test
    void everyMethodIsRegisteredUnderItsMoCoName() {
        assertEquals(Level.API, MethodRegistry.byName("single_model").level());
        assertEquals(Level.TEXT, MethodRegistry.byName("text_majority_vote").level());
        assertEquals(Level.API, MethodRegistry.byName("api_cascade").level());
        assertEquals(Level.API, MethodRegistry.byName("api_prompt_routing").level());
        assertInstanceOf(Cascade.class, fromConfig("api_cascade", Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodRegistry.byName("api_cascad"));
        assertTrue(e.getMessage().contains("did you mean 'api_cascade'"), e.getMessage());
    }

    @Test
    void defaultsAreMoCos() {
        assertEquals(Map.of("model_id", 0), Methods.singleModel().hyperparameters().asMap());
        assertEquals(Map.of("tie", "random"), Methods.majorityVote().hyperparameters().asMap());
        Map<String, Object> cascade = new java.util.HashMap<>(Map.of("mode", "logit", "percentage", 0.5));
        cascade.put("calibrate", null); // not calibrated unless asked
        assertEquals(cascade, Methods.cascade().hyperparameters().asMap());
        assertEquals(null, Methods.promptRouting().modelDescriptions());
        assertEquals(Tie.RANDOM, Methods.majorityVote().tie());
        assertEquals(CascadeMode.LOGIT, Methods.cascade().mode());
    }

    @Test
    void fluentSettersAndConfigValuesGiveEqualMethods() {
        Cascade fluent = Methods.cascade().mode(CascadeMode.JUST_ASK).percentage(0.3);
        CollaborationMethod config = fromConfig("api_cascade", Map.of("mode", "just_ask", "percentage", 0.3));
        assertEquals(fluent.hyperparameters().asMap(), config.hyperparameters().asMap());
        assertEquals(CascadeMode.JUST_ASK, ((Cascade) config).mode());
        assertEquals(Tie.DEV_BASED, ((MajorityVote) fromConfig("text_majority_vote", Map.of("tie", "dev-based"))).tie());
        assertEquals(2, ((SingleModel) fromConfig("single_model", Map.of("model_id", 2))).modelId());
        assertEquals(List.of("x", "y"),
                ((PromptRouting) fromConfig("api_prompt_routing", Map.of("model_descriptions", List.of("x", "y")))).modelDescriptions());
        // the original is unchanged: setters return copies
        Cascade base = Methods.cascade();
        base.percentage(0.9);
        assertEquals(0.5, base.percentage());
    }

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void outOfRangeValuesFailIdenticallyOnBothPaths() {
        String fluent = message(() -> Methods.cascade().percentage(1.5));
        String config = message(() -> fromConfig("api_cascade", Map.of("percentage", 1.5)));
        assertEquals(config, fluent);
        assertEquals("hyperparameter 'percentage' of method api_cascade has value 1.5, expected a number in [0.0, 1.0]", config);
    }

    @Test
    void wrongTypesNameTheKeyTheValueAndWhatIsAllowed() {
        assertEquals("hyperparameter 'percentage' of method api_cascade has value \"high\", expected a number in [0.0, 1.0]",
                message(() -> fromConfig("api_cascade", Map.of("percentage", "high"))));
        assertEquals("hyperparameter 'tie' of method text_majority_vote has value \"dev_based\", expected one of [random, dev-based]",
                message(() -> fromConfig("text_majority_vote", Map.of("tie", "dev_based"))));
        assertEquals("hyperparameter 'mode' of method api_cascade has value \"unsure\", expected one of [logit, just_ask]",
                message(() -> fromConfig("api_cascade", Map.of("mode", "unsure"))));
        assertEquals("hyperparameter 'model_id' of method single_model has value 1.5, expected a whole number >= 0 (a 0-based position in the pool)",
                message(() -> fromConfig("single_model", Map.of("model_id", 1.5))));
        assertTrue(message(() -> Methods.majorityVote().with("tie", 3)).contains("has value 3, expected one of [random, dev-based]"));
        // model-order is a tie rule of text_slm_mux, not of majority vote
        assertTrue(message(() -> Methods.majorityVote().tie(Tie.MODEL_ORDER)).contains("\"model-order\""));
    }

    @Test
    void unknownKeysWarnWithTheClosestName() {
        CollaborationMethod m = fromConfig("api_cascade", Map.of("percentge", 0.3, "temperature", 0.2));
        assertEquals(List.of("unknown hyperparameter 'percentge' for method api_cascade is ignored (did you mean 'percentage'?)"),
                m.hyperparameters().warnings(), "shared generation keys are not unknown");
        assertEquals(0.5, ((Cascade) m).percentage(), "the misspelt key is ignored");
        assertEquals(List.of("unknown hyperparameter 'ties' for method text_majority_vote is ignored (did you mean 'tie'?)"),
                fromConfig("text_majority_vote", Map.of("ties", "random")).hyperparameters().warnings());
    }

    @Test
    void capabilitiesAndTaskTypes() {
        assertEquals(EnumSet.of(Capability.TEXT), Methods.majorityVote().requiredCapabilities());
        assertEquals(3, Methods.majorityVote().supportedTaskTypes().size());
        assertEquals(EnumSet.of(Capability.TEXT), Methods.cascade().mode(CascadeMode.JUST_ASK).requiredCapabilities());
    }
}
