package io.mocoj.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Which part of a run and which test example the current thread works for, and where in the
 * example's plan it is, so that the engine can file every model call and trace event under its
 * example at a position that depends on the method's steps, not on timing. Set by
 * {@link RunContext} around each example and carried into the branches of {@link RunContext#parallel}.
 *
 * <p>A position is a path of step numbers: each model call or trace event takes the next step of
 * its thread's cursor; a parallel block takes one step {@code k}, and its branch {@code i} numbers
 * its own steps under {@code [.., k, i]}. Sorting by path (lexicographically) gives the order of a
 * sequential run of the same plan: branch 0 completely, then branch 1, and so on.
 */
final class CallScope {
    record Scope(String phase, int example) {}

    /** A scope and the step path of one call or event in it. */
    record Point(Scope scope, int[] path) {}

    /** Hands out the step numbers under one path prefix. */
    static final class Cursor {
        private final int[] prefix;
        private final AtomicInteger next = new AtomicInteger();

        Cursor(int[] prefix) { this.prefix = prefix; }

        static Cursor root() { return new Cursor(new int[0]); }

        int[] step() {
            int[] p = Arrays.copyOf(prefix, prefix.length + 1);
            p[prefix.length] = next.getAndIncrement();
            return p;
        }

        /** One step for a parallel block of {@code n} branches, and a cursor for each branch. */
        List<Cursor> fork(int n) {
            int[] block = step();
            List<Cursor> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int[] p = Arrays.copyOf(block, block.length + 1);
                p[block.length] = i;
                out.add(new Cursor(p));
            }
            return out;
        }
    }

    private record Position(Scope scope, Cursor cursor) {}

    private static final ThreadLocal<Position> CURRENT = new ThreadLocal<>();

    private CallScope() {}

    static Scope current() {
        Position p = CURRENT.get();
        return p == null ? null : p.scope();
    }

    /** The next point of the current thread's cursor, or null outside any scope. */
    static Point next() {
        Position p = CURRENT.get();
        return p == null ? null : new Point(p.scope(), p.cursor().step());
    }

    /** Cursors for the {@code n} branches of a parallel block started here, or null outside any scope. */
    static List<Cursor> fork(int n) {
        Position p = CURRENT.get();
        return p == null ? null : p.cursor().fork(n);
    }

    static <T> T with(Scope scope, Cursor cursor, Supplier<T> work) {
        Position previous = CURRENT.get();
        CURRENT.set(scope == null ? null : new Position(scope, cursor));
        try {
            return work.get();
        } finally {
            if (previous == null) CURRENT.remove(); else CURRENT.set(previous);
        }
    }

    /** Orders paths as a sequential run of the plan would reach them. */
    static int compare(int[] a, int[] b) { return Arrays.compare(a, b); }
}
