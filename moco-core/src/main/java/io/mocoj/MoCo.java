package io.mocoj;

/**
 * Entry point of the library.
 *
 * <pre>{@code
 * RunReport report = MoCo.run()
 *     .models(a, b, c)
 *     .method(Methods.majorityVote().tie(Tie.DEV_BASED))
 *     .task(Datasets.load("agieval_tiny"))
 *     .limit(200).concurrency(64).cacheDir(Path.of(".moco-cache")).seed(7)
 *     .baselines(true)
 *     .execute();
 * System.out.println(report.toTable());
 * }</pre>
 */
public final class MoCo {
    private MoCo() {}

    /** Starts describing a run. */
    public static RunBuilder run() { return new RunBuilder(); }
}
