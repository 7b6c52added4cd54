package io.mocoj.local.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.model.Distributions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted variants of valid fixture files, generated here (none is committed): each must be refused
 * with a short, readable {@link GgufFormatException}, or load and compute finite logits, or fail at run
 * time with an error naming the model and position — never compute silently on broken data.
 */
class CorruptedFileTest {
    @TempDir Path dir;

    private static final Path[] FIXTURES = {
            Path.of("src/test/resources/fixtures/tiny-qwen2-bpe-f32.gguf"),
            Path.of("src/test/resources/fixtures/tiny-qwen2-bpe-q8_0.gguf"),
            Path.of("src/test/resources/fixtures/tiny-llama-spm-q8_0.gguf")};

    private Path variant(byte[] bytes, String name) throws IOException {
        Path p = dir.resolve(name + ".gguf");
        Files.write(p, bytes);
        return p;
    }

    /** Byte offset of the tensor count (after magic and version). */
    private static final int TENSOR_COUNT_AT = 8;

    private static long u64(byte[] b, int at) { return ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(); }

    private static void putU64(byte[] b, int at, long v) { ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v); }

    @Test
    void aTensorCountOneTooSmallIsRefused() throws IOException {
        for (Path f : FIXTURES) {
            byte[] b = Files.readAllBytes(f);
            putU64(b, TENSOR_COUNT_AT, u64(b, TENSOR_COUNT_AT) - 1);
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(variant(b, "minus1")), f.toString());
            assertTrue(e.getMessage().contains("tensor count"), e.getMessage());
        }
    }

    @Test
    void aTensorCountOneTooLargeSaysWhatIsWrong() throws IOException {
        for (Path f : FIXTURES) {
            byte[] b = Files.readAllBytes(f);
            putU64(b, TENSOR_COUNT_AT, u64(b, TENSOR_COUNT_AT) + 1);
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(variant(b, "plus1")), f.toString());
            assertTrue(!e.getMessage().contains("tensor  has"), "no empty tensor name in the message: " + e.getMessage());
            assertTrue(e.getMessage().contains("offset"), "the message gives the byte offset: " + e.getMessage());
        }
    }

    @Test
    void aFlippedNameLengthNeverQuotesRawBinary() throws IOException {
        byte[] original = Files.readAllBytes(FIXTURES[0]);
        GgufFile ok = GgufFile.open(FIXTURES[0]);
        // the first tensor's name length sits right after the metadata: find it by searching its name
        String first = ok.tensors().get(0).name();
        byte[] nameBytes = first.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = indexOf(original, nameBytes) - 8;
        assertEquals(nameBytes.length, u64(original, at), "found the length prefix of " + first);
        for (long len : new long[] {nameBytes.length + 1, 200, 18_911, 63, 64}) {
            byte[] b = original.clone();
            putU64(b, at, len);
            try {
                GgufFile.open(variant(b, "name" + len));
                fail("a wrong name length must not load: " + len);
            } catch (GgufFormatException e) {
                assertTrue(e.getMessage().length() < 400, "message of " + e.getMessage().length() + " characters for length " + len);
                assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c != 0x7f || c == '\n'), "only printable text: " + e.getMessage());
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void trailingDataAfterTheLastTensorIsRefused() throws IOException {
        byte[] b = Files.readAllBytes(FIXTURES[1]);
        byte[] longer = java.util.Arrays.copyOf(b, b.length + 4096);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(variant(longer, "trailing")));
        assertTrue(e.getMessage().contains("trailing data"), e.getMessage());
    }

    /**
     * 150 single-byte corruptions of the header and tensor directory (seeded): each either fails to load
     * with a short printable message, or loads, and then either computes finite logits or fails naming
     * the model — no other exception, and no silent NaN.
     */
    @Test
    void randomHeaderCorruptionsAreRefusedOrComputeFinitely() throws IOException {
        byte[] original = Files.readAllBytes(FIXTURES[1]);
        long dataOffset = GgufFile.open(FIXTURES[1]).dataOffset();
        SplittableRandom rng = new SplittableRandom(16);
        int refused = 0, loaded = 0, runtime = 0;
        for (int k = 0; k < 150; k++) {
            byte[] b = original.clone();
            int at = 8 + rng.nextInt((int) dataOffset - 8);
            b[at] = (byte) (b[at] ^ (1 << rng.nextInt(8)));
            Path p = variant(b, "flip" + k);
            LocalModel m;
            try {
                m = LocalModel.load(p, LocalModelOptions.defaults());
            } catch (GgufFormatException e) {
                assertTrue(e.getMessage().length() < 600, "short message: " + e.getMessage().length());
                refused++;
                continue;
            } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().length() < 2000, "a clear message: " + e);
                refused++;
                continue;
            }
            try (var s = m.newSession()) {
                s.append(1, 2, 3);
                float[] l = s.logits();
                for (float v : l) assertTrue(Float.isFinite(v), "a loaded variant computes finite logits (byte " + at + ")");
                Distributions.argmax(l);
                loaded++;
            } catch (IllegalStateException | IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(m.name()) || e.getMessage().contains("token"), "names the model: " + e.getMessage());
                runtime++;
            }
        }
        assertEquals(150, refused + loaded + runtime);
        assertTrue(refused > 0, "some corruptions are refused at load");
    }

    @Test
    void argmaxOfAllNaNIsAnErrorNotTokenZero() {
        assertThrows(IllegalArgumentException.class, () -> Distributions.argmax(new float[] {Float.NaN, Float.NaN}));
        assertEquals(1, Distributions.argmax(new float[] {Float.NaN, 2f, 1f}), "NaN entries are skipped");
    }
}
