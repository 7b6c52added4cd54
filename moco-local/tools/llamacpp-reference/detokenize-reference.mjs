// llama.cpp's detokenisation of token sequences that contain special tokens, with and without
// rendering them (llama_detokenize's unparse_special; node-llama-cpp passes remove_special=false).
// Run from this folder after `npm ci` (or with NODE_LLAMA_CPP set to node-llama-cpp's dist/index.js):
//   node detokenize-reference.mjs [fixtures-dir]
// Writes <fixtures-dir>/reference/detokenize.json: for every tiny-*.gguf and vocab-*.gguf fixture,
// a few sequences (BOS, EOS and other control tokens around ordinary text) and both renderings.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = process.env.NODE_LLAMA_CPP ?? path.join(here, "node_modules/node-llama-cpp/dist/index.js");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(lib).href);
const fixturesDir = path.resolve(process.argv[2] ?? path.join(here, "../../src/test/resources/fixtures"));

const TEXTS = ["Hello world", " leading space, and punctuation !", "naïve café 東京"];
const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
const out = {generator: "node-llama-cpp " + JSON.parse(fs.readFileSync(path.join(path.dirname(lib), "../package.json"), "utf8")).version,
    note: "detokenize(tokens, specialTokens) = llama_detokenize(tokens, remove_special=false, unparse_special=specialTokens)",
    models: {}};
for (const file of fs.readdirSync(fixturesDir).filter((f) => f.endsWith(".gguf")).sort()) {
    const model = await llama.loadModel({modelPath: path.join(fixturesDir, file), vocabOnly: true, gpuLayers: 0});
    const specials = [model.tokens.bos, model.tokens.eos, model.tokens.eot].filter((t) => t != null && t >= 0);
    const cases = [];
    for (const text of TEXTS) {
        const body = Array.from(model.tokenize(text, false));
        for (const tokens of [body, [...specials.slice(0, 1), ...body], [...specials.slice(0, 1), ...body, ...specials.slice(1)],
            [...body, ...specials, ...body]]) {
            cases.push({tokens, special: model.detokenize(tokens, true), plain: model.detokenize(tokens, false)});
        }
    }
    out.models[file] = cases;
    await model.dispose();
}
await llama.dispose();
fs.writeFileSync(path.join(fixturesDir, "reference", "detokenize.json"), JSON.stringify(out, null, 1) + "\n");
console.log("wrote reference/detokenize.json");
