package io.mocoj.eval;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** What the evaluators that run model-written code share: a sandbox made on first use and parallel scoring. */
abstract sealed class SandboxEvaluator implements Evaluator permits CodingEvaluator, SmddEvaluator, KernelBenchEvaluator {
    private final Supplier<CodeSandbox> sandbox;
    private volatile CodeSandbox resolved;

    SandboxEvaluator(Supplier<CodeSandbox> lazySandbox) {
        this.sandbox = Objects.requireNonNull(lazySandbox, "lazySandbox");
    }

    /** The sandbox, created on first use (so that a missing interpreter fails only when code must run). */
    final CodeSandbox sandbox() {
        CodeSandbox s = resolved;
        if (s == null) {
            synchronized (this) {
                if (resolved == null) resolved = sandbox.get();
                s = resolved;
            }
        }
        return s;
    }

    /** Scores in parallel, up to the sandbox's {@link CodeSandbox#maxParallel()} runs at once; a null response scores 0. */
    @Override
    public List<Score> scoreAll(List<Example> examples, List<String> responses) {
        if (examples.size() != responses.size()) {
            throw new IllegalArgumentException("scoreAll needs one response per example: " + examples.size()
                    + " examples but " + responses.size() + " responses");
        }
        List<Future<Score>> futures = new ArrayList<>(examples.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                String r = responses.get(i);
                futures.add(pool.submit(() -> r == null ? Score.of(0, "") : score(e, r)));
            }
            List<Score> out = new ArrayList<>(futures.size());
            for (Future<Score> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring code", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException ise) throw ise;
            throw new IllegalStateException("scoring code failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A value as JSON text; strings and lists of strings are also valid Python literals. */
    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A random tag a harness prints its result line with, so that the code under test cannot be mistaken for it by accident. */
    static String newTag(String prefix) {
        return prefix + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** The JSON after the last stdout line starting with {@code tag + " "}, parsed; empty when there is none or it is not JSON. */
    static java.util.Optional<com.fasterxml.jackson.databind.JsonNode> tagged(String stdout, String tag) {
        String found = null;
        for (String line : stdout.split("\n")) if (line.startsWith(tag + " ")) found = line.substring(tag.length() + 1);
        if (found == null) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(JSON.readTree(found));
        } catch (java.io.IOException ex) {
            return java.util.Optional.empty();
        }
    }

    /** The last line of a process's output, at most 200 characters. */
    static String lastLine(String s) {
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        String line = nl >= 0 ? t.substring(nl + 1) : t;
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
