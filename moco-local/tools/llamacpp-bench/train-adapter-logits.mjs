// Records llama.cpp's next-token log-probabilities for a GGUF model with a LoRA adapter applied
// (scale 1) after fixed prompt token ids, into <adapter>.llamacpp.json next to the adapter.
//   node train-adapter-logits.mjs <model.gguf> <adapter.gguf> [<model.gguf> <adapter.gguf>]...
// node-llama-cpp is looked up as in bench.mjs (NODE_LLAMA_CPP overrides the path).
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = process.env.NODE_LLAMA_CPP ?? path.join(here, "../llamacpp-reference/node_modules/node-llama-cpp/dist/index.js");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(lib).href);
const PROMPTS = [[297, 10, 20, 30, 40, 50, 260, 261], [5, 77, 123, 260, 9, 42, 250, 1, 2, 3, 4, 100, 200, 150, 33, 34, 35, 36, 37, 38]];

const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
const args = process.argv.slice(2);
for (let i = 0; i + 1 < args.length; i += 2) {
    const [modelPath, adapterPath] = [args[i], args[i + 1]];
    const model = await llama.loadModel({modelPath, gpuLayers: 0});
    const context = await model.createContext({contextSize: 256, batchSize: 256, sequences: 1, threads: 2,
        lora: {adapters: [{filePath: adapterPath, scale: 1}]}});
    const vocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
    const prompts = [];
    for (const promptTokens of PROMPTS) {
        const sequence = context.getSequence();
        for await (const out of sequence.evaluateWithMetadata(promptTokens, {probabilities: true}, {temperature: 0})) {
            const logprobs = new Array(vocab).fill(null);
            for (const [token, p] of out.probabilities) logprobs[token] = Math.log(p);
            prompts.push({promptTokens, logprobs});
            break;
        }
        await sequence.dispose();
    }
    await context.dispose();
    await model.dispose();
    const out = adapterPath.replace(/\.gguf$/, ".llamacpp.json");
    fs.writeFileSync(out, JSON.stringify({
        generator: "node-llama-cpp " + JSON.parse(fs.readFileSync(path.join(path.dirname(lib), "../package.json"), "utf8")).version,
        note: "logprobs = ln p over the whole vocabulary after promptTokens, model with the adapter at scale 1",
        prompts,
    }) + "\n");
    console.log("wrote " + out);
}
await llama.dispose();
