// Records llama.cpp's next-token log-probabilities for a GGUF model after fixed prompt token ids,
// and its 16-token greedy continuation, into <model>.llamacpp.json next to the model.
//   node logits.mjs <model.gguf>...
// node-llama-cpp is looked up as in bench.mjs.
import {getLlama, LlamaLogLevel, recordPrompts, writeReference} from "./reference-steps.mjs";

const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
for (const modelPath of process.argv.slice(2)) {
    const model = await llama.loadModel({modelPath, gpuLayers: 0});
    const context = await model.createContext({contextSize: 256, batchSize: 256, sequences: 1, threads: 2});
    const prompts = await recordPrompts(model, context);
    await context.dispose();
    await model.dispose();
    writeReference(modelPath.replace(/\.gguf$/, ".llamacpp.json"), prompts);
}
await llama.dispose();
