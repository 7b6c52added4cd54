// Records llama.cpp's next-token log-probabilities for a GGUF model with LoRA adapters applied at
// inference (not merged), after fixed prompt token ids, and its 16-token greedy continuation:
//   node lora-logits.mjs <base.gguf> <out.json> [<adapter.gguf>:<scale> ...]
// Same JSON layout as logits.mjs (plus the adapters' names). node-llama-cpp is looked up as in bench.mjs.
import path from "node:path";
import {getLlama, LlamaLogLevel, recordPrompts, writeReference} from "./reference-steps.mjs";

const [modelPath, out, ...specs] = process.argv.slice(2);
const adapters = specs.map(s => {
    const i = s.lastIndexOf(":");
    return {filePath: path.resolve(s.slice(0, i)), scale: Number(s.slice(i + 1))};
});
const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({contextSize: 256, batchSize: 256, sequences: 1, threads: 2, lora: {adapters}});
const prompts = await recordPrompts(model, context);
await context.dispose();
await model.dispose();
writeReference(out, prompts, {adapters: specs.map(s => path.basename(s))});
await llama.dispose();
