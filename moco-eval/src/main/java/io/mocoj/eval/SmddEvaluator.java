package io.mocoj.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.eval.internal.PyText;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * smdd (small-molecule drug design), scored with RDKit in the {@link CodeSandbox}:
 * <ul>
 *   <li>{@code subtype = pharmacophore}: the response's code must define {@code check_pharmacophore(smiles) -> bool};
 *       it is run on the item's hidden actives (should return {@code True}) and hidden decoys (should return
 *       {@code False}), both first filtered to SMILES RDKit can parse; score = 0.5·recall + 0.5·specificity.</li>
 *   <li>otherwise (lead optimisation): the first white-space separated token of the response, without surrounding
 *       {@code `"'}, must be a valid single-fragment SMILES without radicals meeting MoCo's hard constraints
 *       (MW &lt; 600, LogP in [-1, 5], TPSA &lt; 140, HBD ≤ 5, HBA ≤ 10, rotatable bonds ≤ 10, formal charge in
 *       [-2, 2], SA score &lt; 4.5, no PAINS or Brenk alert, Morgan-2 Tanimoto ≥ 0.7 to the reference): 1, else 0.</li>
 * </ul>
 * {@link MatchMode#MOCO_COMPATIBLE} does what MoCo does (a {@code check_pharmacophore} that raises on one molecule
 * scores the whole item 0; an unchanged reference molecule passes). {@link MatchMode#STRICT} counts a raising call as
 * a wrong answer for that molecule only, and scores an unchanged molecule 0, as the prompt says.
 *
 * <p>Needs a Python that can import RDKit (Debian: {@code python3-rdkit}); without one the first score throws one
 * {@link IllegalStateException} naming the package.
 */
public final class SmddEvaluator extends SandboxEvaluator {
    private static final Logger log = LoggerFactory.getLogger(SmddEvaluator.class);
    /** MoCo's newer extract_code_block: the first ```python (or bare ```) block, else the first fenced block of any kind. */
    private static final Pattern PYTHON_FENCE = Pattern.compile("```(?:python)?\\s*\\n(.*?)```", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_FENCE = Pattern.compile("```\\s*\\n?(.*?)```", Pattern.DOTALL);
    /** The interpreters tried, in order, when none is given: the first that can import RDKit is used. */
    public static final List<String> DEFAULT_PYTHONS = List.of("python3", "/usr/bin/python3");

    private final MatchMode mode;
    private final Map<String, List<List<String>>> validSets = new ConcurrentHashMap<>();
    private volatile boolean rdkitChecked;

    SmddEvaluator(Supplier<CodeSandbox> sandbox, MatchMode mode) {
        super(sandbox);
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * A sandbox for smdd: limits large enough for RDKit (2 GiB address space, 60 s as in MoCo) and the first
     * interpreter of {@link #DEFAULT_PYTHONS} that imports RDKit.
     *
     * @throws IllegalStateException when no interpreter can import RDKit (the message names the Debian package)
     */
    public static CodeSandbox defaultSandbox() {
        List<String> tried = new ArrayList<>();
        for (String python : DEFAULT_PYTHONS) {
            CodeSandbox sb;
            try {
                sb = sandboxFor(python);
            } catch (IllegalStateException e) {
                tried.add(python + " (" + e.getMessage() + ")");
                continue;
            }
            SandboxResult r = sb.run("import rdkit\nfrom rdkit import Chem\nprint(rdkit.__version__)\n");
            if (r.passed()) {
                log.info("smdd scoring uses {} with RDKit {}", python, r.stdout().strip());
                return sb;
            }
            tried.add(python + " (" + lastLine(r.stderr()) + ")");
        }
        throw new IllegalStateException("smdd scoring needs Python with RDKit, and no interpreter could import it: " + String.join("; ", tried)
                + ". Install the Debian package python3-rdkit (apt-get install python3-rdkit), or give a sandbox whose interpreter has RDKit"
                + " (Evaluators.smdd(CodeSandbox.builder().python(...).build(), mode))");
    }

    /** The smdd limits with a given interpreter. */
    public static CodeSandbox sandboxFor(String python) {
        return CodeSandbox.builder().python(python).timeout(Duration.ofSeconds(60)).cpuSeconds(60)
                .addressSpaceBytes(2L << 30).build();
    }

    public MatchMode mode() { return mode; }

    @Override public TaskType taskType() { return TaskType.SMDD; }

    /** Pharmacophore items: a prompt listing the training actives and decoys; lead optimisation: the input as is. */
    @Override
    public String prompt(Example e) {
        if (!isPharmacophore(e)) return e.input();
        return "Below are molecules (SMILES) that bind a biological target, and decoy molecules that do not.\n\n"
                + "Binding molecules:\n" + String.join("\n", list(e, "train_actives")) + "\n\n"
                + "Decoys:\n" + String.join("\n", list(e, "train_decoys")) + "\n\n"
                + "Write a Python function `check_pharmacophore(smiles: str) -> bool` that returns True when a molecule given as SMILES "
                + "has the pharmacophore of the binding molecules and False otherwise. Use RDKit's well-established APIs only: "
                + "rdkit.Chem.MolFromSmiles, Morgan fingerprints from rdkit.Chem.rdMolDescriptors, rdkit.Chem.MACCSkeys, "
                + "rdkit.Chem.rdMolChemicalFeatures, or SMARTS substructure matching with mol.HasSubstructMatch; not rdkit.Chem.Pharm2D "
                + "or rdkit.Chem.Pharm3D. Reply with the Python function only.";
    }

    /** The code (pharmacophore) or the SMILES token (lead optimisation) that is checked. */
    @Override
    public String extractAnswer(Example e, String response) {
        if (response == null) return "";
        return isPharmacophore(e) ? firstCodeBlock(response) : firstToken(response);
    }

    /** MoCo's code extraction for smdd and kernel_bench: the first ```python block, else the first fenced block, else the whole response. */
    public static String firstCodeBlock(String response) {
        Matcher m = PYTHON_FENCE.matcher(response);
        if (m.find()) return PyText.strip(m.group(1));
        m = ANY_FENCE.matcher(response);
        if (m.find()) return PyText.strip(m.group(1));
        return PyText.strip(response);
    }

    /** MoCo: {@code output.strip().split()[0].strip('`"\'')}, "" for an empty response. */
    static String firstToken(String response) {
        String t = PyText.strip(response);
        if (t.isEmpty()) return "";
        int end = 0;
        while (end < t.length() && !PyText.isSpace(t.charAt(end))) end++;
        String tok = t.substring(0, end);
        int a = 0, b = tok.length();
        while (a < b && "`\"'".indexOf(tok.charAt(a)) >= 0) a++;
        while (b > a && "`\"'".indexOf(tok.charAt(b - 1)) >= 0) b--;
        return tok.substring(a, b);
    }

    /** One error naming the package when the sandbox's interpreter cannot import RDKit. */
    private void requireRdkit() {
        if (rdkitChecked) return;
        synchronized (this) {
            if (rdkitChecked) return;
            SandboxResult r = sandbox().run("import rdkit\nfrom rdkit import Chem\n");
            if (!r.passed()) {
                throw new IllegalStateException("smdd scoring needs Python with RDKit, but " + sandbox().pythonExecutable() + " cannot import it ("
                        + lastLine(r.stderr()) + "). Install the Debian package python3-rdkit (apt-get install python3-rdkit), or give a"
                        + " sandbox whose interpreter has RDKit (CodeSandbox.builder().python(...))");
            }
            rdkitChecked = true;
        }
    }

    @Override
    public Score score(Example e, String response) {
        requireRdkit(); // one clear error before anything else
        String answer = extractAnswer(e, response);
        try {
            return isPharmacophore(e) ? pharmacophore(e, answer) : leadOptimisation(e, answer);
        } catch (IllegalArgumentException bad) {
            return Score.failure("smdd item " + e.id() + ": " + bad.getMessage());
        }
    }

    private Score pharmacophore(Example e, String code) {
        List<List<String>> sets = validSets.computeIfAbsent(e.id() + "\u0000" + e.fields().hashCode(),
                k -> validSmiles(list(e, "hidden_actives"), list(e, "hidden_decoys")));
        List<String> actives = sets.get(0), decoys = sets.get(1);
        if (actives.isEmpty() && decoys.isEmpty()) return new Score(0, code, false, "no valid hidden molecule");
        String tag = newTag("MOCOJ_SMDD_");
        boolean strict = mode == MatchMode.STRICT;
        String program = code + "\n\n"
                + "import json as _mj_json\n"
                + "def _mj_call(s):\n"
                + (strict ? "    try:\n        return check_pharmacophore(s)\n    except Exception:\n        return None\n"
                          : "    return check_pharmacophore(s)\n")
                + "if 'check_pharmacophore' not in dir():\n"
                + "    print('" + tag + " ' + _mj_json.dumps({'error': 'check_pharmacophore not defined'}))\n"
                + "else:\n"
                + "    _mj_a = " + json(actives) + "\n"
                + "    _mj_d = " + json(decoys) + "\n"
                + "    _mj_r = sum(1 for s in _mj_a if _mj_call(s) is True)\n"
                + "    _mj_s = sum(1 for s in _mj_d if _mj_call(s) is False)\n"
                + "    print('" + tag + " ' + _mj_json.dumps({'recall': _mj_r / len(_mj_a) if _mj_a else 0.0,"
                + " 'specificity': _mj_s / len(_mj_d) if _mj_d else 0.0}))\n";
        SandboxResult r = sandbox().run(program);
        if (r.setupFailed()) return new Score(0, code, true, "sandbox could not be set up: " + lastLine(r.stderr()));
        Optional<JsonNode> res = tagged(r.stdout(), tag);
        if (!r.passed() || res.isEmpty()) {
            return new Score(0, code, false, (r.timedOut() ? "timed out" : "exit " + r.exitCode() + ": " + lastLine(r.stderr())) + " [" + r.isolation() + "]");
        }
        if (res.get().has("error")) return new Score(0, code, false, res.get().get("error").asText());
        double recall = res.get().path("recall").asDouble(), specificity = res.get().path("specificity").asDouble();
        return new Score(0.5 * recall + 0.5 * specificity, code, false,
                "recall " + recall + " on " + actives.size() + " actives, specificity " + specificity + " on " + decoys.size() + " decoys");
    }

    private Score leadOptimisation(Example e, String smiles) {
        if (smiles.isEmpty()) return new Score(0, "", false, "empty response");
        String reference = e.field("reference_smiles").orElseThrow(() -> new IllegalArgumentException("no reference_smiles"));
        String tag = newTag("MOCOJ_SMDD_");
        // the model's text goes in last, so nothing in it can be taken for a placeholder
        SandboxResult r = sandbox().run(LEAD_OPT_CHECK.replace("@TAG@", tag).replace("@STRICT@", mode == MatchMode.STRICT ? "True" : "False")
                .replace("@REFERENCE@", json(reference)).replace("@SMILES@", json(smiles)));
        if (r.setupFailed()) return new Score(0, smiles, true, "sandbox could not be set up: " + lastLine(r.stderr()));
        Optional<JsonNode> res = tagged(r.stdout(), tag);
        if (res.isEmpty()) return new Score(0, smiles, true, "the RDKit check did not finish: " + lastLine(r.stderr()));
        boolean pass = res.get().path("pass").asBoolean();
        return new Score(pass ? 1 : 0, smiles, false, pass ? "all hard constraints pass" : "fails: " + res.get().path("failed").asText());
    }

    /** The hidden actives and decoys RDKit can parse (a trusted run: only dataset strings go in). */
    private List<List<String>> validSmiles(List<String> actives, List<String> decoys) {
        String tag = newTag("MOCOJ_SMDD_");
        String program = "import json\nfrom rdkit import Chem, RDLogger\nRDLogger.DisableLog('rdApp.*')\n"
                + "def ok(l):\n    return [s for s in l if s and Chem.MolFromSmiles(s) is not None]\n"
                + "print('" + tag + " ' + json.dumps([ok(" + json(actives) + "), ok(" + json(decoys) + ")]))\n";
        SandboxResult r = sandbox().run(program);
        Optional<JsonNode> res = tagged(r.stdout(), tag);
        if (res.isEmpty()) throw new IllegalStateException("smdd: RDKit could not check the hidden molecules: " + lastLine(r.stderr()));
        List<List<String>> out = new ArrayList<>();
        for (JsonNode l : res.get()) {
            List<String> s = new ArrayList<>();
            l.forEach(n -> s.add(n.asText()));
            out.add(List.copyOf(s));
        }
        return out;
    }

    private static boolean isPharmacophore(Example e) {
        return e.field("subtype").map("pharmacophore"::equals).orElse(false);
    }

    private static List<String> list(Example e, String field) {
        Object v = e.fields().get(field);
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException(field + " must be a list of SMILES, found " + v);
        List<String> out = new ArrayList<>();
        for (Object o : l) out.add(String.valueOf(o));
        return out;
    }

    /**
     * The lead-optimisation check, written from MoCo's rule list; {@code @SMILES@} / {@code @REFERENCE@} are JSON
     * string literals (also valid Python), {@code @STRICT@} adds the unchanged-molecule rule.
     */
    private static final String LEAD_OPT_CHECK = """
            import json, os, sys
            from rdkit import Chem, RDLogger, DataStructs
            from rdkit.Chem import Descriptors, Crippen, Lipinski, AllChem, RDConfig
            from rdkit.Chem.FilterCatalog import FilterCatalog, FilterCatalogParams
            RDLogger.DisableLog('rdApp.*')
            sys.path.append(os.path.join(RDConfig.RDContribDir, 'SA_Score'))
            import sascorer

            def verdict(smiles, reference, strict):
                mol = Chem.MolFromSmiles(smiles)
                if mol is None:
                    return 'not a valid SMILES'
                try:
                    Chem.SanitizeMol(mol)
                except Exception:
                    return 'does not sanitise'
                if any(a.GetNumRadicalElectrons() > 0 for a in mol.GetAtoms()):
                    return 'has radicals'
                if '.' in smiles:
                    return 'several fragments'
                if Descriptors.MolWt(mol) >= 600:
                    return 'MW >= 600'
                if not (-1 <= Crippen.MolLogP(mol) <= 5):
                    return 'LogP outside [-1, 5]'
                if Descriptors.TPSA(mol) >= 140:
                    return 'TPSA >= 140'
                if Lipinski.NumHDonors(mol) > 5:
                    return 'HBD > 5'
                if Lipinski.NumHAcceptors(mol) > 10:
                    return 'HBA > 10'
                if Lipinski.NumRotatableBonds(mol) > 10:
                    return 'rotatable bonds > 10'
                if not (-2 <= Chem.GetFormalCharge(mol) <= 2):
                    return 'formal charge outside [-2, 2]'
                if sascorer.calculateScore(mol) >= 4.5:
                    return 'SA score >= 4.5'
                for catalog, name in ((FilterCatalogParams.FilterCatalogs.PAINS, 'PAINS'), (FilterCatalogParams.FilterCatalogs.BRENK, 'Brenk')):
                    params = FilterCatalogParams()
                    params.AddCatalog(catalog)
                    if FilterCatalog(params).HasMatch(mol):
                        return name + ' alert'
                ref = Chem.MolFromSmiles(reference)
                if ref is None:
                    return 'reference is not a valid SMILES'
                if strict and Chem.MolToSmiles(mol) == Chem.MolToSmiles(ref):
                    return 'unchanged reference molecule'
                fp = AllChem.GetMorganFingerprintAsBitVect(mol, 2, nBits=2048)
                fp_ref = AllChem.GetMorganFingerprintAsBitVect(ref, 2, nBits=2048)
                if DataStructs.TanimotoSimilarity(fp, fp_ref) < 0.7:
                    return 'Tanimoto similarity < 0.7'
                return None

            failed = verdict(@SMILES@, @REFERENCE@, @STRICT@)
            print('@TAG@ ' + json.dumps({'pass': failed is None, 'failed': failed or ''}))
            """;
}
