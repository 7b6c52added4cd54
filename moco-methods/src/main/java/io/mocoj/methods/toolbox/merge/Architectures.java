package io.mocoj.methods.toolbox.merge;

import io.mocoj.model.WeightsModel;
import java.util.Arrays;
import java.util.List;

/** Checks that models can be merged tensor by tensor, naming the first difference. */
public final class Architectures {
    private Architectures() {}

    /**
     * Throws {@link IllegalArgumentException} unless every model has the architecture fingerprint
     * of the first: the message names the first tensor that is missing or differs in shape, with
     * both shapes, or says that the vocabularies differ.
     */
    public static void checkSame(List<? extends WeightsModel> models) {
        WeightsModel first = models.get(0);
        String fp = first.architectureFingerprint();
        for (WeightsModel other : models.subList(1, models.size())) {
            if (other.architectureFingerprint().equals(fp)) continue;
            throw new IllegalArgumentException(difference(first, other) + ": merging needs models of one architecture and vocabulary");
        }
    }

    static String difference(WeightsModel a, WeightsModel b) {
        List<String> na = a.tensorNames(), nb = b.tensorNames();
        for (String t : na) {
            if (!nb.contains(t)) return "model '" + b.name() + "' has no tensor " + t + " (model '" + a.name() + "' has it with shape "
                    + Arrays.toString(a.shape(t)) + ")";
            if (!Arrays.equals(a.shape(t), b.shape(t))) {
                return "tensor " + t + " has shape " + Arrays.toString(a.shape(t)) + " in model '" + a.name() + "' but "
                        + Arrays.toString(b.shape(t)) + " in model '" + b.name() + "'";
            }
        }
        for (String t : nb) {
            if (!na.contains(t)) return "model '" + a.name() + "' has no tensor " + t + " (model '" + b.name() + "' has it with shape "
                    + Arrays.toString(b.shape(t)) + ")";
        }
        return "models '" + a.name() + "' and '" + b.name() + "' have the same tensors but different architectures or vocabularies";
    }
}
