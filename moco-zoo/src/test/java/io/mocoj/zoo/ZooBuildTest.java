package io.mocoj.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build itself, on the mini recipe (same code path as the standard zoo, a few seconds). */
class ZooBuildTest {
    @TempDir
    static Path tmp;
    static Path first;

    @BeforeAll
    static void build() {
        first = tmp.resolve("a");
        ZooBuilder.build(first, ZooRecipe.mini(), line -> { });
    }

    @Test
    void twoBuildsAreByteIdentical() throws Exception {
        Path second = tmp.resolve("b");
        List<String> log = new ArrayList<>();
        ZooBuilder.build(second, ZooRecipe.mini(), log::add);
        List<String> names = new ArrayList<>();
        try (var files = Files.list(first)) {
            for (Path f : files.sorted().toList()) if (!f.getFileName().toString().startsWith(".")) names.add(f.getFileName().toString());
        }
        assertEquals(List.of("arith.gguf", "base.gguf", "lora-arith.gguf", "team.gguf", "zoo.json"), names);
        for (String n : names) assertArrayEquals(Files.readAllBytes(first.resolve(n)), Files.readAllBytes(second.resolve(n)), n + " differs");
        assertTrue(log.get(0).startsWith("tokenizer: "), log.get(0));
        List<String> again = new ArrayList<>();
        ZooBuilder.build(second, ZooRecipe.mini(), again::add);
        assertTrue(again.stream().anyMatch(l -> l.startsWith("base: reusing")), "a second build into the same folder retrained: " + again);
        for (String n : names) assertArrayEquals(Files.readAllBytes(first.resolve(n)), Files.readAllBytes(second.resolve(n)), n + " differs after reuse");
    }

    @Test
    void specialistsAndAdaptersDifferFromTheirBase() throws Exception {
        Zoo zoo = Zoo.open(first);
        LocalModel base = zoo.load("base", 1), arith = zoo.load("arith", 1), lora = zoo.load("lora-arith", 1);
        float[] b = base.tensor("blk.0.attn_q.weight");
        assertNotEquals(0, maxDiff(b, arith.tensor("blk.0.attn_q.weight")), "the specialist kept the base weights");
        assertNotEquals(0, maxDiff(b, lora.tensor("blk.0.attn_q.weight")), "the adapter changed nothing");
        assertNotEquals(0, maxDiff(b, zoo.load("team", 1).tensor("blk.0.attn_q.weight")), "the team model kept the base weights");
        assertEquals("team", zoo.entry("team").orElseThrow().kind());
        assertEquals("lora", zoo.entry("lora-arith").orElseThrow().kind());
        assertEquals("base", zoo.entry("lora-arith").orElseThrow().parent());
    }

    @Test
    void theSharedTokenizerAndChatTemplateRoundTrip() {
        LocalModel base = Zoo.open(first).load("base", 1);
        String text = "What is 47 + 38?\n\nPlease provide the final answer \\box{85}";
        assertEquals(text, base.tokenizer().decode(base.tokenizer().encode(text, false)));
        int[] chat = base.encodeChat(List.of(ChatMessage.user("hi")), true);
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", base.tokenizer().decode(chat));
    }

    @Test
    void zooSpecsResolveAndGenerate() {
        ModelEndpoint m = ModelSpecs.resolve("zoo:lora-arith?dir=" + first + "&name=la", new SpecContext(java.util.Optional.empty(), 0));
        assertEquals("la", m.name());
        String out = m.generate(GenerationRequest.builder().user("What is 1 + 2?").maxTokens(4).temperature(0).build()).text();
        assertTrue(out.length() <= 64, out);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("zoo:nope?dir=" + first, new SpecContext(java.util.Optional.empty(), 0)));
        assertTrue(e.getMessage().contains("it has: base, arith, lora-arith, team"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("zoo:base?dir=" + first + "&bogus=1", new SpecContext(java.util.Optional.empty(), 0)));
        assertTrue(e.getMessage().contains("unknown option 'bogus'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.open(tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("zoo build"), e.getMessage());
    }

    @Test
    void theShippedManifestIsTheStandardRecipe() {
        // the shipped set was built by ZooRecipe.standard(): the same models, kinds, parents, skills and steps
        // (its files being the build's output byte for byte is the manual check of docs/zoo.md: a full build takes minutes)
        Zoo shipped = Zoo.shipped();
        List<String> names = new ArrayList<>();
        for (ZooRecipe.ModelRecipe m : ZooRecipe.standard().models()) {
            names.add(m.name());
            Zoo.Entry e = shipped.entry(m.name()).orElseThrow(() -> new AssertionError(m.name() + " is not shipped"));
            assertEquals(m.kind().name().toLowerCase(), e.kind(), m.name());
            assertEquals(m.parent(), e.parent(), m.name());
            assertEquals(m.skill() == null ? null : m.skill().taskName(), e.skill(), m.name());
        }
        assertEquals(names, shipped.entries().stream().map(Zoo.Entry::name).toList());
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
