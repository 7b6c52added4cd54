package io.mocoj.eval;

import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** smdd cases from MoCo's pharmacophore and lead-optimisation rules (need RDKit), kernel_bench's documented scoring. */
class SmddAndKernelBenchTest {
    private static CodeSandbox rdkitSandbox() {
        try {
            return SmddEvaluator.defaultSandbox();
        } catch (IllegalStateException e) {
            assumeTrue(false, "no Python with RDKit (python3-rdkit): " + e.getMessage());
            return null;
        }
    }

    private static Example pharmacophore(List<String> actives, List<String> decoys) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("subtype", "pharmacophore");
        f.put("train_actives", List.of("c1ccccc1O"));
        f.put("train_decoys", List.of("CCCC"));
        f.put("hidden_actives", actives);
        f.put("hidden_decoys", decoys);
        return new Example("p1", "", Map.of(), List.of(), f);
    }

    private static Example leadOpt(String reference) {
        return new Example("l1", "Optimise it. Output only a SMILES.", Map.of(), List.of(),
                Map.of("subtype", "lead_opt", "reference_smiles", reference));
    }

    private static final String AROMATIC_RULE = "```python\nfrom rdkit import Chem\n"
            + "def check_pharmacophore(smiles):\n    m = Chem.MolFromSmiles(smiles)\n"
            + "    return m is not None and m.HasSubstructMatch(Chem.MolFromSmarts('c1ccccc1'))\n```";

    @Test
    void pharmacophoreScoreIsHalfRecallPlusHalfSpecificityOverValidHiddenMolecules() {
        CodeSandbox sb = rdkitSandbox();
        // actives: 2 aromatic, 1 aliphatic (recall 2/3); decoys: 1 aliphatic, 1 aromatic (specificity 1/2); "xx(" is not a SMILES and is dropped
        Example e = pharmacophore(List.of("c1ccccc1C", "c1ccccc1N", "CCO", "xx("), List.of("CCCCN", "c1ccccc1Cl"));
        for (MatchMode mode : MatchMode.values()) {
            Score s = Evaluators.smdd(sb, mode).score(e, AROMATIC_RULE);
            assertEquals(0.5 * 2 / 3 + 0.5 * 1 / 2, s.value(), 1e-9, mode + ": " + s.detail());
            assertTrue(s.detail().contains("3 actives"), s.detail());
        }
        assertTrue(Evaluators.smdd(sb, MatchMode.MOCO_COMPATIBLE).prompt(e).contains("c1ccccc1O"));
    }

    @Test
    void aRaisingCheckZeroesTheItemForMocoButCountsPerMoleculeStrictly() {
        CodeSandbox sb = rdkitSandbox();
        Example e = pharmacophore(List.of("c1ccccc1C", "CCO"), List.of("CCCCN"));
        String raisesOnEthanol = "```python\ndef check_pharmacophore(smiles):\n    if smiles == 'CCO':\n        raise ValueError('no')\n"
                + "    return 'c1' in smiles\n```";
        assertEquals(0.0, Evaluators.smdd(sb, MatchMode.MOCO_COMPATIBLE).score(e, raisesOnEthanol).value());
        // strict: recall 1/2 (CCO raised), specificity 1/1
        assertEquals(0.75, Evaluators.smdd(sb, MatchMode.STRICT).score(e, raisesOnEthanol).value(), 1e-9);
        Score none = Evaluators.smdd(sb, MatchMode.MOCO_COMPATIBLE).score(e, "```python\ndef other(s):\n    return True\n```");
        assertEquals(0.0, none.value());
        assertEquals("check_pharmacophore not defined", none.detail());
    }

    @Test
    void leadOptimisationChecksTheFirstTokenAgainstTheHardConstraints() {
        CodeSandbox sb = rdkitSandbox();
        String reference = "COc1cccc(Sc2c(C)c3c(N)nc(N)nc3n2C(C)C)c1";
        Example e = leadOpt(reference);
        SmddEvaluator moco = Evaluators.smdd(sb, MatchMode.MOCO_COMPATIBLE);
        SmddEvaluator strict = Evaluators.smdd(sb, MatchMode.STRICT);
        assertEquals("CCO", moco.extractAnswer(e, "  `CCO` is my answer"));
        assertEquals(0.0, moco.score(e, "not-a-smiles(").value());
        assertEquals(0.0, moco.score(e, "CC.O").value(), "several fragments");
        Score far = moco.score(e, "CCO");
        assertEquals(0.0, far.value());
        assertTrue(far.detail().contains("Tanimoto"), far.detail());
        // the unchanged reference passes MoCo's rules (Tanimoto 1) but not the strict ones, as the prompt says it scores 0
        Score same = moco.score(e, reference);
        assertEquals(1.0, same.value(), same.detail());
        Score sameStrict = strict.score(e, reference);
        assertEquals(0.0, sameStrict.value());
        assertTrue(sameStrict.detail().contains("unchanged"), sameStrict.detail());
    }

    @Test
    void aMissingRdkitIsOneErrorNamingTheDebianPackage() {
        CodeSandbox noRdkit = CodeSandbox.builder().python("python3").build();
        SandboxResult probe = noRdkit.run("import rdkit\n");
        assumeTrue(!probe.passed(), "python3 on PATH has RDKit; cannot show the missing-package message here");
        var ev = Evaluators.smdd(noRdkit, MatchMode.MOCO_COMPATIBLE);
        var items = List.of(pharmacophore(List.of("CCO"), List.of("CC")), leadOpt("CCO"));
        var e = assertThrows(IllegalStateException.class, () -> ev.scoreAll(items, List.of(AROMATIC_RULE, "CCN")));
        assertTrue(e.getMessage().startsWith("smdd scoring needs Python with RDKit"), e.getMessage());
        assertTrue(e.getMessage().contains("python3-rdkit"), e.getMessage());
    }

    @Test
    void kernelBenchScoreFollowsTheDocumentedTiers() {
        assertEquals(0.0, KernelBenchEvaluator.score(false, false, 1, 1, 1));
        assertEquals(0.0, KernelBenchEvaluator.score(true, false, 1, 2, 1));
        assertEquals(0.25, KernelBenchEvaluator.score(true, true, -1, 2, 1), "timing unavailable");
        assertEquals(0.25, KernelBenchEvaluator.score(true, true, 2, 2, 1), "speed-up 1 is not faster");
        // level 1 caps at 10x: speed-up 2 -> 0.5 + 0.5 * 1/9
        assertEquals(0.5 + 0.5 / 9, KernelBenchEvaluator.score(true, true, 1, 2, 1), 1e-12);
        // level 2 caps at 5x: speed-up 3 -> 0.5 + 0.5 * 2/4
        assertEquals(0.75, KernelBenchEvaluator.score(true, true, 1, 3, 2), 1e-12);
        // level 3 caps at 2x: speed-up 4 -> 1
        assertEquals(1.0, KernelBenchEvaluator.score(true, true, 1, 4, 3), 1e-12);
        assertEquals(2, KernelBenchEvaluator.level("l2_17"));
        assertThrows(IllegalArgumentException.class, () -> KernelBenchEvaluator.level("x_1"));
    }

    @Test
    void kernelBenchWithoutCudaIsOneClearError() {
        var e = assertThrows(IllegalStateException.class, KernelBenchEvaluator::defaultSandbox);
        assertTrue(e.getMessage().startsWith("kernel_bench scoring needs"), e.getMessage());
        assertTrue(e.getMessage().contains("no CPU fallback"), e.getMessage());
        var ev = Evaluators.kernelBench();
        Example item = new Example("l1_1", "class Model: pass", Map.of(), List.of(), Map.of());
        var thrown = assertThrows(IllegalStateException.class, () -> ev.scoreAll(List.of(item), List.of("```python\nclass ModelNew: pass\n```")));
        assertEquals(e.getMessage(), thrown.getMessage());
    }

    @Test
    void forTaskTypeAndScoreItemNeedNoTask() {
        assertInstanceOf(IfEvalEvaluator.class, Evaluators.forTaskType(TaskType.IFEVAL, MatchMode.STRICT));
        assertEquals(MatchMode.STRICT, ((IfEvalEvaluator) Evaluators.forTaskType(TaskType.IFEVAL, MatchMode.STRICT)).mode());
        assertEquals(1.0, Evaluators.scoreItem(TaskType.EXACT_MATCH, MatchMode.STRICT, Map.of("input", "Half?", "output", "0.5"), "\\boxed{1/2}").value());
        assertEquals(0.0, Evaluators.scoreItem(TaskType.EXACT_MATCH, MatchMode.MOCO_COMPATIBLE, Map.of("input", "Half?", "output", "0.5"), "\\boxed{1/2}").value());
        Map<String, String> keyed = new LinkedHashMap<>();
        keyed.put("1", "Mars");
        keyed.put("2", "Jupiter");
        Map<String, Object> mc = Map.of("question", "Largest?", "choices", keyed, "answer", "2");
        assertEquals(0.0, Evaluators.scoreItem(TaskType.MULTIPLE_CHOICE, MatchMode.MOCO_COMPATIBLE, mc, "B").value(), "MoCo compares '2' with 'B'");
        assertEquals(1.0, Evaluators.scoreItem(TaskType.MULTIPLE_CHOICE, MatchMode.STRICT, mc, "B").value());
        Map<String, Object> ifeval = Map.of("input", "Say hi without commas", "instruction_id_list", List.of("punctuation:no_comma"), "kwargs", List.of(Map.of()));
        assertEquals(1.0, Evaluators.scoreItem(TaskType.IFEVAL, MatchMode.MOCO_COMPATIBLE, ifeval, "hi there").value());
        assertThrows(io.mocoj.datasets.DatasetFormatException.class,
                () -> Evaluators.scoreItem(TaskType.EXACT_MATCH, MatchMode.STRICT, Map.of("output", "4"), "4"));
    }
}
