package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.lora.LoraAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moco train} on moco-local's tiny qwen3 fixture. */
class TrainCommandTest {
    private static final String MODEL = "gguf:../moco-local/src/test/resources/engine-fixtures/tiny-qwen3-f32.gguf?threads=2";

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void trainsALoraAdapterAndResumesFromItsCheckpoint(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("sft.jsonl");
        Files.writeString(data, """
                {"prompt": "Say hi.", "completion": "hello"}
                {"messages": [{"role": "user", "content": "Opposite of up?"}, {"role": "assistant", "content": "down"}]}
                """);
        Path out = tmp.resolve("out");
        Result r = run("train", "--model", MODEL, "--data", data.toString(), "--out", out.toString(), "--lora", "4", "--steps", "4",
                "--lr", "1e-2", "--checkpoint-every", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("step 4/4 loss"), r.err());
        LoraAdapter a = LoraAdapter.load(out.resolve("adapter.gguf"));
        assertEquals(14, a.tensors().size(), "two layers x seven projections");
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-000004.gguf")));
        Result again = run("train", "--model", MODEL, "--data", data.toString(), "--out", out.toString(), "--lora", "4", "--steps", "4",
                "--lr", "1e-2", "--checkpoint-every", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resumed from the checkpoint at step 4"), again.out());
    }

    @Test
    void badDataIsAnErrorWithTheLine(@TempDir Path tmp) throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "\n");
        Result r = run("train", "--model", MODEL, "--data", empty.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no training rows"), r.err());
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": 3}\n");
        r = run("train", "--model", MODEL, "--data", bad.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 2") && r.err().contains("\"prompt\" must be a string"), r.err());
        Path dpo = Files.writeString(tmp.resolve("sft.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        r = run("train", "--model", MODEL, "--data", dpo.toString(), "--out", tmp.resolve("o").toString(), "--objective", "dpo");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("objective dpo needs"), r.err());
        r = run("train", "--model", MODEL, "--data", dpo.toString(), "--out", tmp.resolve("d").toString(), "--objective", "deferral");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--objective deferral needs a mentor") && r.err().contains("api_collm"), r.err());
        assertTrue(Files.notExists(tmp.resolve("d")), "nothing written for a refused objective");
    }
}
