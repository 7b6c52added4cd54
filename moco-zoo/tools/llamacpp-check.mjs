// Loads zoo models with llama.cpp (node-llama-cpp's prebuilt CPU build; never downloads or builds)
// and records its greedy answers to the first test items of some skill tasks, formatted with the
// zoo's ChatML template, so that ZooLlamaCppTest can compare them with moco-local's answers.
//   node llamacpp-check.mjs <zoo dir> <prompts.json> <out.json> <model>[+<adapter>] ...
// prompts.json: [{"skill": ..., "prompt": ...}, ...] (tools/prompts.json, written by io.mocoj.zoo.bench.WriteLlamaCppPrompts).
// The test fixture src/test/resources/llamacpp/zoo-greedy.json was recorded with: node llamacpp-check.mjs
//   ../src/main/resources/io/mocoj/zoo/models prompts.json ../src/test/resources/llamacpp/zoo-greedy.json base base-b weak reverse team base+lora-mcq
// node-llama-cpp is found at $NODE_LLAMA_CPP or ../../moco-local/tools/llamacpp-reference/node_modules.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = process.env.NODE_LLAMA_CPP ?? path.join(here, "../../moco-local/tools/llamacpp-reference/node_modules/node-llama-cpp/dist/index.js");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(lib).href);
const [dir, promptsFile, out, ...models] = process.argv.slice(2);
const prompts = JSON.parse(fs.readFileSync(promptsFile, "utf8"));
const llama = await getLlama({build: "never", usePrebuiltBinaries: true, gpu: false, logLevel: LlamaLogLevel.error});
const results = [];
for (const spec of models) {
    const [name, adapter] = spec.split("+");
    const model = await llama.loadModel({modelPath: path.join(dir, name + ".gguf"), gpuLayers: 0});
    const context = await model.createContext({contextSize: 512, batchSize: 512, sequences: 1, threads: 2,
        lora: adapter ? {adapters: [{filePath: path.join(dir, adapter + ".gguf"), scale: 1}]} : undefined});
    const eos = model.tokens.eos;
    for (const p of prompts) {
        const text = "<|im_start|>user\n" + p.prompt + "<|im_end|>\n<|im_start|>assistant\n";
        const tokens = model.tokenize(text, true);
        const sequence = context.getSequence();
        const answer = [];
        for await (const t of sequence.evaluate(tokens, {temperature: 0})) {
            if (t === eos || answer.length >= 48) break;
            answer.push(t);
        }
        await sequence.dispose();
        results.push({model: adapter ? adapter : name, skill: p.skill, prompt: p.prompt, promptTokens: tokens, answerTokens: answer,
            answer: model.detokenize(answer)});
    }
    await context.dispose();
    await model.dispose();
}
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(lib), "../package.json"), "utf8")).version;
fs.writeFileSync(out, JSON.stringify({generator: "node-llama-cpp " + version, results}, null, 1) + "\n");
console.log("wrote " + results.length + " answers to " + out);
await llama.dispose();
