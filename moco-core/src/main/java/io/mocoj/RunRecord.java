package io.mocoj;

import io.mocoj.RunReport.PreflightResult;
import io.mocoj.model.ReplicatedEndpoint;
import java.util.List;
import java.util.Map;

/**
 * How a run was made, for the run log: software and machine, the configuration as written and as
 * resolved (secrets removed), the data, the scoring, and the preflight of remote endpoints.
 *
 * @param mocojVersion   MoCo-J version
 * @param gitCommit      commit of the MoCo-J checkout the classes were loaded from, null when unknown
 * @param started        start time, ISO-8601 UTC
 * @param finished       end time, ISO-8601 UTC
 * @param rawConfig      the MoCo JSON config as read, with secrets removed (null for runs built in Java)
 * @param resolvedConfig every setting the run actually used (models by name and identity, never a key)
 * @param preflight      the preflight request to each remote endpoint (empty when none was sent)
 * @param judgeUsage     calls, tokens and cost of the judge model(s) that scored the outputs
 * @param replicas       calls, failures, cool-downs and latency per replica of every replicated model
 *                       ({@link ReplicatedEndpoint}), counted over the whole run (every phase); empty when none
 */
public record RunRecord(String mocojVersion, String gitCommit, String started, String finished, String java,
                        int cores, String os, Map<String, Object> rawConfig, Map<String, Object> resolvedConfig,
                        DatasetRecord dataset, EvaluatorRecord evaluator, List<PreflightResult> preflight,
                        List<RunReport.ModelUsage> judgeUsage, List<ReplicaSet> replicas) {
    public RunRecord {
        preflight = preflight == null ? List.of() : List.copyOf(preflight);
        judgeUsage = judgeUsage == null ? List.of() : List.copyOf(judgeUsage);
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    /** A record without replica usage (runs with no replicated model). */
    public RunRecord(String mocojVersion, String gitCommit, String started, String finished, String java,
                     int cores, String os, Map<String, Object> rawConfig, Map<String, Object> resolvedConfig,
                     DatasetRecord dataset, EvaluatorRecord evaluator, List<PreflightResult> preflight,
                     List<RunReport.ModelUsage> judgeUsage) {
        this(mocojVersion, gitCommit, started, finished, java, cores, os, rawConfig, resolvedConfig, dataset, evaluator,
                preflight, judgeUsage, List.of());
    }

    /**
     * The replicas of one replicated model and what each did.
     *
     * @param model    the model's name
     * @param replicas per replica, in the order of the spec
     */
    public record ReplicaSet(String model, List<ReplicatedEndpoint.ReplicaUsage> replicas) {
        public ReplicaSet {
            replicas = List.copyOf(replicas);
        }
    }

    /**
     * The data of the run.
     *
     * @param source   where it was read from (a file or a dataset name), as told by the caller, else "in memory"
     * @param sha256   SHA-256 of the source file when known, else of the examples' canonical JSON
     * @param sha256Of "file" or "examples": what {@code sha256} is the hash of
     * @param devSize  dev examples used (after any limit)
     * @param testSize test examples used (after any limit)
     */
    public record DatasetRecord(String name, String source, String sha256, String sha256Of, int devSize, int testSize) {}

    /**
     * How outputs were scored.
     *
     * @param matchMode      "moco_compatible" or "strict" where the evaluator has a mode, else null
     * @param judge          the judge model's name, null when none
     * @param embeddingModel the embedding model, null when none
     */
    public record EvaluatorRecord(String name, String taskType, String matchMode, String judge, String embeddingModel) {}
}
