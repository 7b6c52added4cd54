package io.mocoj.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * kernel_bench (KernelBench, Ouyang et al. 2025): the response must define {@code ModelNew}, a CUDA re-implementation
 * of the item's PyTorch {@code Model}. Scoring, as MoCo documents it:
 * <ul>
 *   <li>0 when the code does not compile or load, or its output differs from the reference on a seeded random input
 *       ({@code torch.allclose} with atol = rtol = 1e-4 in float32, shapes equal);</li>
 *   <li>0.25 when correct but not faster than PyTorch (speed-up ≤ 1, or timing unavailable);</li>
 *   <li>0.5 + 0.5·min(1, (speed-up − 1) / (cap − 1)) when faster, with cap 10× for level 1, 5× for level 2 and
 *       2× for level 3 (the level is the number after {@code l} in ids such as {@code l1_42}); speed-up = mean
 *       reference time / mean kernel time over 10 CUDA-event timed runs after 3 warm-ups.</li>
 * </ul>
 * Needs a CUDA GPU and PyTorch with a CUDA build: without them the first score throws one
 * {@link IllegalStateException} saying what is missing. There is no CPU fallback.
 */
public final class KernelBenchEvaluator extends SandboxEvaluator {
    /** Speed-up caps per KernelBench level. */
    public static final Map<Integer, Double> SPEEDUP_CAPS = Map.of(1, 10.0, 2, 5.0, 3, 2.0);

    KernelBenchEvaluator(Supplier<CodeSandbox> sandbox) {
        super(sandbox);
    }

    /**
     * A sandbox for kernel_bench (300 s per kernel as in MoCo; no address-space limit, which CUDA cannot run under; up to
     * 64 processes for the compiler), after checking that {@code python3} has PyTorch with a usable CUDA device.
     *
     * @throws IllegalStateException when there is no PyTorch, no CUDA build or no visible GPU
     */
    public static CodeSandbox defaultSandbox() {
        CodeSandbox sb = CodeSandbox.builder().timeout(Duration.ofSeconds(300)).cpuSeconds(300).addressSpaceBytes(Long.MAX_VALUE / 2)
                .processes(64).openFiles(1024).maxParallel(1).build();
        SandboxResult r = sb.run("import torch\nprint(torch.__version__, torch.cuda.is_available(), torch.cuda.device_count())\n");
        if (!r.passed()) {
            throw new IllegalStateException("kernel_bench scoring needs PyTorch with CUDA, but " + sb.pythonExecutable()
                    + " cannot import torch (" + lastLine(r.stderr()) + "). Run it on a machine with a CUDA GPU and a CUDA build of PyTorch"
                    + " (pip install torch ninja); there is no CPU fallback.");
        }
        String[] parts = r.stdout().strip().split("\\s+");
        if (parts.length < 3 || !parts[1].equals("True") || parts[2].equals("0")) {
            throw new IllegalStateException("kernel_bench scoring needs a CUDA GPU: PyTorch " + parts[0] + " sees none (cuda available: "
                    + (parts.length > 1 ? parts[1] : "?") + "). Run it on a machine with a CUDA GPU; there is no CPU fallback.");
        }
        return sb;
    }

    @Override public TaskType taskType() { return TaskType.KERNEL_BENCH; }

    @Override
    public String prompt(Example e) {
        return "Replace PyTorch operators of the architecture below with custom CUDA kernels (written inline with "
                + "torch.utils.cpp_extension.load_inline) to make it faster. You may fuse operators or change the algorithm. "
                + "Keep the interface: name the optimised class ModelNew, with the same constructor arguments and forward inputs as Model, "
                + "computing the same outputs in float32.\n\nArchitecture:\n\n" + e.input()
                + "\n\nReply with the complete new Python module in one code block: real, compilable code, no tests and no explanation.";
    }

    @Override
    public String extractAnswer(Example e, String response) { return response == null ? "" : SmddEvaluator.firstCodeBlock(response); }

    @Override
    public Score score(Example e, String response) {
        String code = extractAnswer(e, response);
        int level;
        try {
            level = level(e.id());
        } catch (IllegalArgumentException bad) {
            return Score.failure(bad.getMessage());
        }
        String tag = newTag("MOCOJ_KB_");
        SandboxResult r = sandbox().run(HARNESS.replace("@TAG@", tag).replace("@REF@", json(e.input())).replace("@NEW@", json(code)));
        if (r.setupFailed()) return new Score(0, code, true, "sandbox could not be set up: " + lastLine(r.stderr()));
        JsonNode res = tagged(r.stdout(), tag).orElse(null);
        if (res == null) return new Score(0, code, false, (r.timedOut() ? "timed out" : "no result: " + lastLine(r.stderr())));
        double s = score(res.path("compiled").asBoolean(), res.path("correct").asBoolean(), res.path("runtime_ms").asDouble(-1),
                res.path("ref_runtime_ms").asDouble(-1), level);
        return new Score(s, code, false, res.path("detail").asText());
    }

    /** The documented score of one kernel. */
    public static double score(boolean compiled, boolean correct, double runtimeMs, double refRuntimeMs, int level) {
        if (!compiled || !correct) return 0;
        if (runtimeMs <= 0 || refRuntimeMs <= 0) return 0.25;
        double speedup = refRuntimeMs / runtimeMs;
        if (speedup <= 1) return 0.25;
        double cap = SPEEDUP_CAPS.getOrDefault(level, 2.0);
        return 0.5 + Math.min(0.5, 0.5 * (speedup - 1) / (cap - 1));
    }

    /** The KernelBench level of an id such as {@code l1_42}. */
    static int level(String id) {
        String head = id.split("_", 2)[0];
        if (head.length() < 2 || (head.charAt(0) != 'l' && head.charAt(0) != 'L')) {
            throw new IllegalArgumentException("kernel_bench id '" + id + "' does not start with its level (l1_, l2_, l3_)");
        }
        try {
            return Integer.parseInt(head.substring(1));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("kernel_bench id '" + id + "' does not start with its level (l1_, l2_, l3_)");
        }
    }

    /** Loads the reference and the candidate, checks one seeded input at 1e-4 and times both (float32). */
    private static final String HARNESS = """
            import json, os, traceback
            import torch
            os.environ.setdefault('TORCH_EXTENSIONS_DIR', os.path.join(os.getcwd(), 'torch_ext'))
            def report(**kw):
                print('@TAG@ ' + json.dumps(kw))
            def time_ms(fn, args):
                for _ in range(3):
                    fn(*args)
                torch.cuda.synchronize()
                times = []
                for i in range(11):
                    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                    torch.cuda.synchronize()
                    start.record(); fn(*args); end.record()
                    torch.cuda.synchronize()
                    if i > 0:
                        times.append(start.elapsed_time(end))
                return sum(times) / len(times)
            def prep(x):
                if isinstance(x, torch.Tensor):
                    return x.to(device='cuda', dtype=torch.float32) if x.is_floating_point() else x.to('cuda')
                return x
            ref_ns, new_ns = {}, {}
            exec(compile(@REF@, 'reference.py', 'exec'), ref_ns)
            torch.manual_seed(42)
            init = [prep(x) for x in ref_ns['get_init_inputs']()]
            with torch.no_grad():
                torch.manual_seed(42)
                ref = ref_ns['Model'](*init).to(device='cuda', dtype=torch.float32)
            try:
                exec(compile(@NEW@, 'candidate.py', 'exec'), new_ns)
                with torch.no_grad():
                    torch.manual_seed(42)
                    new = new_ns['ModelNew'](*init).to(device='cuda', dtype=torch.float32)
                torch.cuda.synchronize()
            except Exception as e:
                report(compiled=False, correct=False, detail='does not compile or load: ' + type(e).__name__ + ': ' + str(e)[:300])
                raise SystemExit(0)
            try:
                with torch.no_grad():
                    torch.manual_seed(42)
                    inputs = [prep(x) for x in ref_ns['get_inputs']()]
                    out_ref = ref(*inputs)
                    out_new = new(*inputs)
                    torch.cuda.synchronize()
            except Exception as e:
                report(compiled=True, correct=False, detail='runtime error: ' + type(e).__name__ + ': ' + str(e)[:300])
                raise SystemExit(0)
            if out_ref.shape != out_new.shape or not torch.allclose(out_ref, out_new, atol=1e-4, rtol=1e-4):
                report(compiled=True, correct=False, detail='output differs from the reference (shape or 1e-4 tolerance)')
                raise SystemExit(0)
            try:
                with torch.no_grad():
                    rt, rrt = time_ms(new, inputs), time_ms(ref, inputs)
                report(compiled=True, correct=True, runtime_ms=rt, ref_runtime_ms=rrt, detail='speed-up %.3f' % (rrt / rt))
            except Exception as e:
                report(compiled=True, correct=True, runtime_ms=-1, ref_runtime_ms=-1, detail='timing failed: ' + str(e)[:300])
            """;
}
