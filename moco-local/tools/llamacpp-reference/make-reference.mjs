// Produces llama.cpp reference outputs for MoCo-J's moco-local tests, with the llama.cpp that
// node-llama-cpp ships prebuilt (no download, no build). Run from this folder after `npm ci`:
//   node make-reference.mjs [fixtures-dir] [name-filter]
//   (fixtures-dir defaults to ../../src/test/resources/fixtures; name-filter, e.g. "tiny-", limits
//   the run to GGUF files whose name contains it)
// Writes into <fixtures-dir>/reference/:
//   <gguf-name>.tokens.json  for every *.gguf fixture: token ids of the corpus in
//                            tokenizer-corpus.json, with and without special-token parsing
//   <gguf-name>.logits.json  for every tiny-*.gguf model: next-token log-probabilities and a
//                            32-token greedy continuation for a few prompts
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(process.argv[2] ?? path.join(here, "../../src/test/resources/fixtures"));
const referenceDir = path.join(fixturesDir, "reference");
fs.mkdirSync(referenceDir, {recursive: true});

const pkg = JSON.parse(fs.readFileSync(path.join(here, "node_modules/node-llama-cpp/package.json"), "utf8"));
const llamaInfo = JSON.parse(fs.readFileSync(path.join(here, "node_modules/node-llama-cpp/llama/binariesGithubRelease.json"), "utf8"));
const generator = `node-llama-cpp ${pkg.version} (prebuilt llama.cpp binaries, release ${llamaInfo.release})`;

const corpus = JSON.parse(fs.readFileSync(path.join(fixturesDir, "tokenizer-corpus.json"), "utf8")).texts;

const PROMPTS = [
    "The capital of France is",
    "def add(a, b):\n    return",
    "Once upon a time, in a land far away,",
];
const GREEDY_TOKENS = 32;
const TOP_K = 20;

// Prebuilt CPU binaries only: never download or compile anything.
const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});

const nameFilter = process.argv[3] ?? "";
const ggufs = fs.readdirSync(fixturesDir).filter((f) => f.endsWith(".gguf") && f.includes(nameFilter)).sort();
for (const file of ggufs) {
    const modelPath = path.join(fixturesDir, file);
    const isModel = file.startsWith("tiny-");
    const model = await llama.loadModel({modelPath, vocabOnly: !isModel, gpuLayers: 0});
    await writeTokenReference(file, model);
    if (isModel) {
        await writeLogitsReference(file, model);
    }
    await model.dispose();
}
await llama.dispose();

function writeJson(name, value) {
    fs.writeFileSync(path.join(referenceDir, name), JSON.stringify(value, null, 1) + "\n");
    console.log(`wrote reference/${name}`);
}

async function writeTokenReference(file, model) {
    const cases = [];
    for (const text of corpus) {
        for (const parseSpecial of [false, true]) {
            const tokens = model.tokenize(text, parseSpecial);
            cases.push({
                text,
                parseSpecial,
                tokens,
                // llama_detokenize(remove_special=false, unparse_special=true)
                detokenized: model.detokenize(tokens, true),
            });
        }
    }
    const eog = [];
    const vocabSize = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
    for (let t = 0; t < vocabSize; t++) {
        if (model.isEogToken(t)) eog.push(t);
    }
    writeJson(file.replace(/\.gguf$/, ".tokens.json"), {
        generator,
        gguf: file,
        vocabularySize: vocabSize,
        bos: model.tokens.bos,
        eos: model.tokens.eos,
        eot: model.tokens.eot,
        endOfGenerationTokens: eog,
        cases,
    });
}


async function writeLogitsReference(file, model) {
    const context = await model.createContext({contextSize: 256, batchSize: 256, sequences: 1, threads: 2});
    const prompts = [];
    for (const prompt of PROMPTS) {
        const sequence = context.getSequence();
        // Tokens as llama.cpp's own tokenizer makes them, BOS added when the vocabulary asks for it.
        const promptTokens = [];
        if (model.tokens.bos != null && model.fileInfo.metadata.tokenizer.ggml.add_bos_token) {
            promptTokens.push(model.tokens.bos);
        }
        promptTokens.push(...model.tokenize(prompt, false));
        const steps = [];
        const generated = [];
        // The whole distribution is stored for the first prompt only (size).
        let fullLogprobs = prompts.length === 0 ? null : undefined;
        const iterator = sequence.evaluateWithMetadata(promptTokens, {probabilities: true}, {temperature: 0});
        for await (const output of iterator) {
            const probs = output.probabilities; // sorted, highest first
            if (fullLogprobs === null) {
                fullLogprobs = new Array(model.fileInfo.metadata.tokenizer.ggml.tokens.length).fill(null);
                for (const [token, p] of probs) fullLogprobs[token] = Math.log(p);
            }
            const top = [];
            for (const [token, p] of probs) {
                if (top.length >= TOP_K) break;
                top.push({token, logprob: Math.log(p)});
            }
            steps.push({position: promptTokens.length + generated.length, candidates: probs.size, top});
            generated.push(output.token);
            if (generated.length >= GREEDY_TOKENS) break;
        }
        await sequence.dispose();
        prompts.push({
            prompt,
            promptTokens,
            fullLogprobsAfterPrompt: fullLogprobs ?? null,
            steps,
            greedyTokens: generated,
            greedyText: model.detokenize(generated, true),
        });
    }
    await context.dispose();
    writeJson(file.replace(/\.gguf$/, ".logits.json"), {
        generator,
        gguf: file,
        note: "steps[i] is the next-token distribution after promptTokens + greedyTokens[0..i); "
            + "logprob = ln(probability) from llama.cpp logits (softmax over the full vocabulary, temperature 0 = greedy)",
        prompts,
    });
}
