// Shared by logits.mjs and lora-logits.mjs: loads node-llama-cpp (as bench.mjs does) and records
// llama.cpp's whole-vocabulary log-probabilities at 16 greedy steps after two fixed token-id prompts.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const lib = process.env.NODE_LLAMA_CPP ?? path.join(here, "../llamacpp-reference/node_modules/node-llama-cpp/dist/index.js");
export const {getLlama, LlamaLogLevel} = await import(pathToFileURL(lib).href);
const PROMPTS = [[297, 10, 20, 30, 40, 50, 260, 261], [5, 77, 123, 260, 9, 42, 250, 1, 2, 3, 4, 100, 200, 150, 33, 34, 35, 36, 37, 38]];
const GREEDY = 16;

/** The prompts' greedy steps on a context of `model`. */
export async function recordPrompts(model, context) {
    const vocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
    const prompts = [];
    for (const promptTokens of PROMPTS) {
        const sequence = context.getSequence();
        const steps = [];
        const greedy = [];
        for await (const out of sequence.evaluateWithMetadata(promptTokens, {probabilities: true}, {temperature: 0})) {
            const logprobs = new Array(vocab).fill(null);
            for (const [token, p] of out.probabilities) logprobs[token] = Math.log(p);
            steps.push(logprobs);
            greedy.push(out.token);
            if (greedy.length >= GREEDY) break;
        }
        await sequence.dispose();
        prompts.push({promptTokens, greedyTokens: greedy, stepLogprobs: steps});
    }
    return prompts;
}

/** Writes the reference JSON. */
export function writeReference(out, prompts, extra = {}) {
    fs.writeFileSync(out, JSON.stringify({
        generator: "node-llama-cpp " + JSON.parse(fs.readFileSync(path.join(path.dirname(lib), "../package.json"), "utf8")).version,
        note: "stepLogprobs[i] = ln p over the whole vocabulary after promptTokens + greedyTokens[0..i)",
        ...extra,
        prompts,
    }) + "\n");
    console.log("wrote " + out);
}
