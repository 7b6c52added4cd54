package io.mocoj.zoo.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges (GPT-2's byte-to-character map) from a corpus, deterministically:
 * words are split with the GPT-2 pattern with single digits (the {@code smollm} pre-tokenizer of
 * llama.cpp), the most frequent adjacent pair is merged each round, ties broken by the pair's text.
 */
public final class BpeTrainer {
    private static final Pattern WORDS = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private BpeTrainer() {}

    /** GPT-2's byte-to-character map of byte-level BPE. */
    public static String byteChar(int b) {
        if (printable(b)) return String.valueOf((char) b);
        int n = 0;
        for (int x = 0; x < b; x++) if (!printable(x)) n++;
        return String.valueOf((char) (256 + n));
    }

    private static boolean printable(int b) { return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255); }

    /** At most {@code merges} merges ("left right"), each of a pair seen at least twice. */
    public static List<String> train(List<String> corpus, int merges) {
        String[] map = new String[256];
        for (int b = 0; b < 256; b++) map[b] = byteChar(b);
        Map<String, Integer> counts = new TreeMap<>();
        for (String text : corpus) {
            Matcher m = WORDS.matcher(text);
            while (m.find()) {
                StringBuilder sb = new StringBuilder();
                for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) sb.append(map[b & 0xff]);
                counts.merge(sb.toString(), 1, Integer::sum);
            }
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            List<String> syms = new ArrayList<>();
            e.getKey().codePoints().forEach(c -> syms.add(new String(Character.toChars(c))));
            words.add(syms);
            freq.add(e.getValue());
        }
        List<String> out = new ArrayList<>();
        java.util.Set<String> tokens = new java.util.HashSet<>(java.util.Arrays.asList(map));
        while (out.size() < merges) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) pairs.merge(s.get(i) + " " + s.get(i + 1), freq.get(w), Integer::sum);
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                int c = e.getValue();
                if (c > bestCount || (c == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null) break;
            String left = best.substring(0, best.indexOf(' ')), right = best.substring(best.indexOf(' ') + 1);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(left) && s.get(i + 1).equals(right)) {
                        s.set(i, left + right);
                        s.remove(i + 1);
                    }
                }
            }
            // a pair whose text is already a token (reached by another merge order) is merged in the
            // counts but not recorded: the vocabulary keeps one token per text
            if (tokens.add(left + right)) out.add(best);
        }
        return out;
    }

    /** The tokenizer metadata of a GGUF file: 256 byte tokens, one token per merge, then {@code specials} (control tokens). */
    public static Map<String, Object> metadata(List<String> merges, List<String> specials, String chatTemplate, String eos, String bos) {
        List<String> tokens = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) { tokens.add(byteChar(b)); types.add(1L); }
        for (String m : merges) { tokens.add(m.replace(" ", "")); types.add(1L); }
        for (String s : specials) { tokens.add(s); types.add(3L); }
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", "gpt2");
        md.put("tokenizer.ggml.pre", "smollm");
        md.put("tokenizer.ggml.tokens", tokens);
        md.put("tokenizer.ggml.token_type", types);
        md.put("tokenizer.ggml.merges", merges);
        md.put("tokenizer.ggml.bos_token_id", (long) tokens.indexOf(bos));
        md.put("tokenizer.ggml.eos_token_id", (long) tokens.indexOf(eos));
        md.put("tokenizer.ggml.padding_token_id", (long) tokens.indexOf(bos));
        md.put("tokenizer.ggml.add_bos_token", false);
        md.put("tokenizer.chat_template", chatTemplate);
        return md;
    }
}
