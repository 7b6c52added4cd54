// Extracts the real Llama 2 (SentencePiece) and Llama 3 (byte-level BPE) vocabularies shipped as
// data in the npm packages llama-tokenizer-js and llama3-tokenizer-js, for the Java fixture
// generator. Output (one entry per line, each line the base64 of the entry's UTF-8 bytes):
//   <out>/llama2.tokens.b64     32000 token texts (ids in order)
//   <out>/llama3.tokens.b64     128256 token texts (128000 regular + 256 special)
//   <out>/llama3.merges.b64     merges in rank order, "left right"
// Usage: node extract-vocabs.mjs <out-dir>
import fs from "node:fs";
import path from "node:path";
import llamaTokenizer from "llama-tokenizer-js";
import llama3Tokenizer from "llama3-tokenizer-js";

const out = process.argv[2];
if (!out) {
    console.error("usage: node extract-vocabs.mjs <out-dir>");
    process.exit(2);
}
fs.mkdirSync(out, {recursive: true});

const b64 = (s) => Buffer.from(s, "utf8").toString("base64");
const writeLines = (name, entries) => {
    fs.writeFileSync(path.join(out, name), entries.map(b64).join("\n") + "\n");
    console.log(`${name}: ${entries.length} entries`);
};

writeLines("llama2.tokens.b64", llamaTokenizer.vocabById);
writeLines("llama3.tokens.b64", llama3Tokenizer.vocabById);
// Map insertion order is the merge priority order.
writeLines("llama3.merges.b64", [...llama3Tokenizer.merges.keys()]);
