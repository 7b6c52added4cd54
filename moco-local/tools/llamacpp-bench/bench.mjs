// llama.cpp (through node-llama-cpp's prebuilt CPU binaries) on the same GGUF as moco-local's
// LocalBenchmark: prefill and decode tokens/s and peak RSS, same prompt length, decode length and threads.
//   node bench.mjs <model.gguf> [threads=2] [prompt=128] [decode=64] [runs=3]
// node-llama-cpp is looked up at $NODE_LLAMA_CPP (path to its dist/index.js), else in
// ../llamacpp-reference/node_modules (installed there with `npm ci`).
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = process.env.NODE_LLAMA_CPP ?? path.join(here, "../llamacpp-reference/node_modules/node-llama-cpp/dist/index.js");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(lib).href);

const [modelPath, threadsArg = "2", promptArg = "128", decodeArg = "64", runsArg = "3"] = process.argv.slice(2);
if (!modelPath) {
    console.error("usage: node bench.mjs <model.gguf> [threads] [prompt] [decode] [runs]");
    process.exit(2);
}
const threads = Number(threadsArg), promptLength = Number(promptArg), decodeLength = Number(decodeArg), runs = Number(runsArg);

const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
// the same pseudo-random prompt tokens as LocalBenchmark is not needed: speed does not depend on the ids
const prompt = [];
let seed = 3;
for (let i = 0; i < promptLength; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    prompt.push(seed % 49000);
}
let bestPrefill = 0, bestDecode = 0;
for (let run = 0; run <= runs; run++) {
    const context = await model.createContext({contextSize: 2048, batchSize: promptLength, sequences: 1, threads});
    const sequence = context.getSequence();
    const t0 = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(prompt);
    const t1 = performance.now();
    let produced = 0;
    // greedy decoding, one token per step
    for await (const token of sequence.evaluate([prompt[prompt.length - 1]], {temperature: 0})) {
        if (++produced >= decodeLength) break;
    }
    const t2 = performance.now();
    const prefill = promptLength / ((t1 - t0) / 1000), decode = produced / ((t2 - t1) / 1000);
    console.log(`run ${run}: prefill ${prefill.toFixed(1)} tok/s, decode ${decode.toFixed(2)} tok/s`);
    if (run > 0) {
        bestPrefill = Math.max(bestPrefill, prefill);
        bestDecode = Math.max(bestDecode, decode);
    }
    await context.dispose();
}
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(`RESULT llama.cpp model=${path.basename(modelPath)} threads=${threads} prompt=${promptLength} decode=${decodeLength} `
    + `prefill=${bestPrefill.toFixed(1)} tok/s decode=${bestDecode.toFixed(2)} tok/s peakRSS=${peakRssMb} MB`);
await model.dispose();
await llama.dispose();
