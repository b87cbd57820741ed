namespace SbeCore.Updates;

/// <summary>The rules SbeCore ships, in C ABI order (their <see cref="UpdateMethod"/> values are the SBE_METHOD_*
/// constants of sbecore.h).</summary>
internal static class BuiltInRules
{
    public static UpdateRuleInfo[] All() =>
    [
        new(UpdateMethod.Sgd, "sgd", [], HasRank: false, AbiId: 0, WritesPerSample: true,
            "a rank-1 write per sample", r => new SgdRule(r.Rows, r.Cols)),
        new(UpdateMethod.MiniBatch, "minibatch", ["mini-batch", "mbgd"], HasRank: false, AbiId: 1, WritesPerSample: false,
            "dense batch-mean gradient (a*b buffer)", r => new MiniBatchRule(r.Rows, r.Cols)),
        new(UpdateMethod.TruncatedSvd, "svd", ["truncatedsvd", "truncated-svd", "truncated_svd"], HasRank: true, AbiId: 2, WritesPerSample: false,
            "exact top-k of the batch-mean gradient, k rank-1 writes", r => new TruncatedSvdRule(r.Rows, r.Cols, r.Rank)),
        new(UpdateMethod.Sbe, "sbe", [], HasRank: true, AbiId: 3, WritesPerSample: false,
            "streaming batch eigenupdate, k rank-1 writes", r => new SbeRule(r.Rows, r.Cols, r.EstimatorOptions with { Rank = r.Rank }, r.Seed)),
        new(UpdateMethod.Sbpca, "sbpca", [], HasRank: true, AbiId: 4, WritesPerSample: false,
            "streaming batch PCA (sub-batch power iteration with QR), k rank-1 writes",
            r => new SbpcaRule(r.Rows, r.Cols, r.Rank, r.EstimatorOptions.SubBatch, r.PublishedSchedule, r.Seed)),
        new(UpdateMethod.Lrt, "lrt", [], HasRank: true, AbiId: 5, WritesPerSample: false,
            "low-rank training (per-sample rank-k SVD update), k rank-1 writes", r => new LrtRule(r.Rows, r.Cols, r.Rank)),
    ];
}
