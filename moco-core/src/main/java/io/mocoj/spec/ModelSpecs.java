package io.mocoj.spec;

import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.List;

/** Resolves model spec strings through every {@link ModelSpecResolver} on the class path. */
public final class ModelSpecs {
    private ModelSpecs() {}

    /** All resolvers found, in class-path order. */
    public static List<ModelSpecResolver> resolvers() {
        List<ModelSpecResolver> out = new ArrayList<>();
        io.mocoj.plugin.Plugins.load(ModelSpecResolver.class).forEach(out::add);
        return out;
    }

    /** Resolves one spec, or fails with a message listing every accepted form. */
    public static ModelEndpoint resolve(String spec, SpecContext context) {
        ModelSpec parsed;
        try {
            parsed = ModelSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + acceptedForms(), e);
        }
        for (ModelSpecResolver r : resolvers()) {
            if (r.schemes().contains(parsed.scheme())) return r.resolve(parsed, context);
        }
        throw new IllegalArgumentException("unknown model spec '" + spec + "' (scheme '" + parsed.scheme() + "')\n" + acceptedForms());
    }

    /** The accepted forms of every resolver, one per line. */
    public static String acceptedForms() {
        StringBuilder sb = new StringBuilder("accepted model specs:");
        for (ModelSpecResolver r : resolvers()) for (String f : r.forms()) sb.append("\n  ").append(f);
        return sb.toString();
    }
}
