package io.mocoj.internal.engine;

import java.util.function.Supplier;

/**
 * Which part of a run and which test example the current thread works for, so that the engine
 * can file every model call under its example. Set by {@link RunContext} around each example and
 * carried into the threads of {@link RunContext#parallel}.
 */
final class CallScope {
    record Scope(String phase, int example) {}

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private CallScope() {}

    static Scope current() { return CURRENT.get(); }

    static <T> T with(Scope scope, Supplier<T> work) {
        Scope previous = CURRENT.get();
        CURRENT.set(scope);
        try {
            return work.get();
        } finally {
            if (previous == null) CURRENT.remove(); else CURRENT.set(previous);
        }
    }
}
