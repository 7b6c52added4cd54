package io.mocoj.local.train.internal;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufTensorData;
import io.mocoj.local.gguf.GgufWriter;
import io.mocoj.local.internal.tensor.MappedMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training checkpoints: a GGUF file per checkpoint ({@code checkpoint-000012.gguf}) holding every
 * trained tensor and its two Adam moments ({@code .adam_m}, {@code .adam_v}), the step, and a
 * fingerprint of model, data and settings so that a checkpoint resumes only the run it belongs
 * to. Each is written to a temporary file and moved into place; older ones are removed after a
 * newer one is complete, so a kill at any moment leaves one whole checkpoint.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.gguf");
    private static final Pattern TMP = Pattern.compile("checkpoint-\\d+\\.gguf\\.tmp-\\d+");

    private Checkpoints() {}

    /** A loaded checkpoint. */
    public record State(int step, Path file) {}

    public static Path write(Path dir, int step, String fingerprint, List<Param> params, float[][] m, float[][] v) {
        try {
            Files.createDirectories(dir);
            GgufWriter w = new GgufWriter();
            w.putString("general.type", "mocoj-training-checkpoint");
            w.putUInt32("mocoj.train.step", step);
            w.putString("mocoj.train.fingerprint", fingerprint);
            for (int i = 0; i < params.size(); i++) {
                Param p = params.get(i);
                long[] dims = {p.cols(), p.rows()};
                w.addTensor(p.name(), GgmlType.F32, dims, p.value().clone());
                w.addTensor(p.name() + ".adam_m", GgmlType.F32, dims, m[i].clone());
                w.addTensor(p.name() + ".adam_v", GgmlType.F32, dims, v[i].clone());
            }
            Path file = dir.resolve(String.format("checkpoint-%06d.gguf", step));
            w.write(file);
            for (Path old : list(dir)) if (!old.equals(file)) Files.deleteIfExists(old);
            // a process killed while writing leaves its temporary file behind (checkpoint-N.gguf.tmp-PID)
            try (Stream<Path> s = Files.list(dir)) {
                for (Path stale : s.filter(f -> TMP.matcher(f.getFileName().toString()).matches()).toList()) Files.deleteIfExists(stale);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Checkpoint files in {@code dir}, oldest first. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /**
     * Loads the newest checkpoint into the parameters and moments, or returns null when there is none.
     *
     * @throws IllegalArgumentException when it belongs to a different run
     */
    public static State loadLatest(Path dir, String fingerprint, List<Param> params, float[][] m, float[][] v) {
        try {
            List<Path> files = list(dir);
            if (files.isEmpty()) return null;
            Path file = files.get(files.size() - 1);
            GgufFile f = GgufFile.open(file);
            Object fp = f.metadata().get("mocoj.train.fingerprint");
            if (!fingerprint.equals(fp)) {
                throw new IllegalArgumentException(file + " was written by a different training run (model, data or settings differ);"
                        + " give another output directory, delete the checkpoint, or turn resuming off");
            }
            for (int i = 0; i < params.size(); i++) {
                Param p = params.get(i);
                copy(f, file, p.name(), p.value());
                copy(f, file, p.name() + ".adam_m", m[i]);
                copy(f, file, p.name() + ".adam_v", v[i]);
            }
            Matcher mt = NAME.matcher(file.getFileName().toString());
            mt.matches();
            return new State(((Long) f.metadata().get("mocoj.train.step")).intValue(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copy(GgufFile f, Path file, String name, float[] into) {
        GgufTensorData d = f.data(name);
        if (d == null) throw new IllegalArgumentException(file + " has no tensor " + name);
        float[] vals = new MappedMatrix(d).toFloats();
        if (vals.length != into.length) throw new IllegalArgumentException(file + ": tensor " + name + " has the wrong size");
        System.arraycopy(vals, 0, into, 0, vals.length);
    }
}
