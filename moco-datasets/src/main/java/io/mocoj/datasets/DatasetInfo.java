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
 * @param sha256      SHA-256 (lower-case hex) of the published file at the pinned commit, or "" when none is pinned
 */
public record DatasetInfo(String name, TaskType type, List<String> fields, String description, String citation,
                          int devSize, int testSize, String sha256) {
    public DatasetInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        fields = List.copyOf(fields);
        description = Objects.requireNonNullElse(description, "");
        citation = Objects.requireNonNullElse(citation, "");
        sha256 = Objects.requireNonNullElse(sha256, "");
    }

    /** The file name the loader looks for in data directories and the cache: {@code <name>.json}. */
    public String fileName() { return name + ".json"; }

    /** Whether the file can be downloaded and verified (a hash is pinned for it). */
    public boolean downloadable() { return !sha256.isEmpty(); }

    /** The pinned hash, if any. */
    public Optional<String> pinnedSha256() { return sha256.isEmpty() ? Optional.empty() : Optional.of(sha256); }
}
