// Records llama.cpp's next-token log-probabilities for a GGUF model with LoRA adapters applied at
// inference (not merged), after fixed prompt token ids, and its 16-token greedy continuation:
//   node lora-logits.mjs <base.gguf> <out.json> <adapter.gguf>:<scale> [<adapter.gguf>:<scale> ...]
// Same JSON layout as logits.mjs. node-llama-cpp is looked up as in bench.mjs.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = process.env.NODE_LLAMA_CPP ?? path.join(here, "../llamacpp-reference/node_modules/node-llama-cpp/dist/index.js");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(lib).href);
const PROMPTS = [[297, 10, 20, 30, 40, 50, 260, 261], [5, 77, 123, 260, 9, 42, 250, 1, 2, 3, 4, 100, 200, 150, 33, 34, 35, 36, 37, 38]];
const GREEDY = 16;

const [modelPath, out, ...specs] = process.argv.slice(2);
const adapters = specs.map(s => {
    const i = s.lastIndexOf(":");
    return {filePath: path.resolve(s.slice(0, i)), scale: Number(s.slice(i + 1))};
});
const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({contextSize: 256, batchSize: 256, sequences: 1, threads: 2, lora: {adapters}});
const vocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
const prompts = [];
for (const promptTokens of PROMPTS) {
    const sequence = context.getSequence();
    const steps = [];
    const greedy = [];
    for await (const o of sequence.evaluateWithMetadata(promptTokens, {probabilities: true}, {temperature: 0})) {
        const logprobs = new Array(vocab).fill(null);
        for (const [token, p] of o.probabilities) logprobs[token] = Math.log(p);
        steps.push(logprobs);
        greedy.push(o.token);
        if (greedy.length >= GREEDY) break;
    }
    await sequence.dispose();
    prompts.push({promptTokens, greedyTokens: greedy, stepLogprobs: steps});
}
await context.dispose();
await model.dispose();
fs.writeFileSync(out, JSON.stringify({
    generator: "node-llama-cpp " + JSON.parse(fs.readFileSync(path.join(path.dirname(lib), "../package.json"), "utf8")).version,
    note: "stepLogprobs[i] = ln p over the whole vocabulary after promptTokens + greedyTokens[0..i)",
    adapters: specs.map(s => path.basename(s)),
    prompts,
}) + "\n");
console.log("wrote " + out);
await llama.dispose();
