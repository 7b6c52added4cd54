package io.mocoj.datasets;

import io.mocoj.task.TaskType;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What MoCo-J knows about one MoCo dataset before loading it.
 *
 * @param name        the MoCo task name, which is also the file name without {@code .json}
 * @param type        the task type the published file declares
 * @param fields      the keys each example carries in the published file
 * @param description one line saying what the dataset is
 * @param citation    the work that introduced the data (authors, year, title, venue or arXiv id)
 * @param devSize     number of dev examples in the published file, or -1 when no file is published
 * @param testSize    number of test examples in the published file, or -1 when no file is published
 * @param sha256      SHA-256 (lower-case hex) of the published file at {@code commit}, or "" when none is pinned
 * @param commit      the MoCo commit whose {@code model_collaboration/data/<name>.json} is downloaded, or "" when
 *                    no file is published (the 36 original tasks: {@link #PINNED_COMMIT}; the newer ones: the commit
 *                    that published them)
 * @param needs       what scoring needs beyond MoCo-J itself: {@code judge} (a judge model), {@code gpu} (a CUDA
 *                    GPU with PyTorch), {@code rdkit} (Python with RDKit)
 */
public record DatasetInfo(String name, TaskType type, List<String> fields, String description, String citation,
                          int devSize, int testSize, String sha256, String commit, List<String> needs) {
    /** The MoCo commit the 36 original task files (and their hashes) are pinned to. */
    public static final String PINNED_COMMIT = "ecea545acdd3f49e9f9fa46a6dedcb076ed476b1";

    public DatasetInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        fields = List.copyOf(fields);
        description = Objects.requireNonNullElse(description, "");
        citation = Objects.requireNonNullElse(citation, "");
        sha256 = Objects.requireNonNullElse(sha256, "");
        commit = Objects.requireNonNullElse(commit, "");
        needs = List.copyOf(needs);
    }

    /** A task of the pinned commit (published when a hash is given), with what it needs derived from its type. */
    public DatasetInfo(String name, TaskType type, List<String> fields, String description, String citation,
                       int devSize, int testSize, String sha256) {
        this(name, type, fields, description, citation, devSize, testSize, sha256, sha256 == null || sha256.isEmpty() ? "" : PINNED_COMMIT,
                needsOf(type));
    }

    /** What scoring a task type needs: a judge for reward_model / text_generation / general_verifier, a GPU for kernel_bench, RDKit for smdd. */
    public static List<String> needsOf(TaskType type) {
        return switch (type) {
            case REWARD_MODEL, TEXT_GENERATION, GENERAL_VERIFIER -> List.of("judge");
            case KERNEL_BENCH -> List.of("gpu");
            case SMDD -> List.of("rdkit");
            default -> List.of();
        };
    }

    /** Whether the file is published (at {@link #commit()}) and can be downloaded. */
    public boolean published() { return !commit.isEmpty(); }

    /** Whether the split sizes are known. */
    public boolean sizesKnown() { return devSize >= 0 && testSize >= 0; }

    /** The file name the loader looks for in data directories and the cache: {@code <name>.json}. */
    public String fileName() { return name + ".json"; }

    /** Whether the file can be downloaded and verified (a hash is pinned for it). */
    public boolean downloadable() { return !sha256.isEmpty(); }

    /** Whether the file is published but no hash is pinned (its JSON shape is checked instead). */
    public boolean unpinned() { return published() && sha256.isEmpty(); }

    /** The pinned hash, if any. */
    public Optional<String> pinnedSha256() { return sha256.isEmpty() ? Optional.empty() : Optional.of(sha256); }
}
