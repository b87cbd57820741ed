using SbeCore.Eigen;

namespace SbeCore.Updates;

// FROZEN PUBLIC SIGNATURES.

/// <summary>The update rules SbeCore compares.</summary>
public enum UpdateMethod
{
    /// <summary>A rank-1 write per sample.</summary>
    Sgd,
    /// <summary>Dense accumulation of the batch-mean gradient (a*b buffer).</summary>
    MiniBatch,
    /// <summary>Exact top-k of the batch-mean gradient, k rank-1 writes.</summary>
    TruncatedSvd,
    /// <summary>Streaming batch eigenupdate, k rank-1 writes.</summary>
    Sbe,
    /// <summary>Streaming batch PCA (Huang et al. 2023): sub-batch power iteration with QR, k rank-1 writes.</summary>
    Sbpca,
    /// <summary>Low-rank training (Gural et al. 2020): a per-sample rank-r SVD update, r rank-1 writes.</summary>
    Lrt,
}

/// <summary>Creates update rules by method.</summary>
public static class UpdateRuleFactory
{
    /// <summary>Creates the rule for one rows x cols layer. <paramref name="rank"/> is k for TruncatedSvd, Sbe, Sbpca and
    /// Lrt (ignored otherwise). For Sbe, <paramref name="rank"/> overrides the Rank in <paramref name="estimatorOptions"/>;
    /// Sbpca takes its sub-batch from those options' SubBatch, and <paramref name="publishedSchedule"/> selects its
    /// published schedule (see <see cref="SbpcaRule"/>).</summary>
    /// <exception cref="ArgumentException">Invalid sizes, rank or options, or an unknown method.</exception>
    public static IUpdateRule Create(UpdateMethod method, int rows, int cols, int rank = 1,
        EstimatorOptions? estimatorOptions = null, ulong seed = 0, bool publishedSchedule = false) => method switch
    {
        UpdateMethod.Sbpca => new SbpcaRule(rows, cols, rank, (estimatorOptions ?? new EstimatorOptions()).SubBatch, publishedSchedule, seed),
        UpdateMethod.Lrt => new LrtRule(rows, cols, rank),
        UpdateMethod.Sgd => new SgdRule(rows, cols),
        UpdateMethod.MiniBatch => new MiniBatchRule(rows, cols),
        UpdateMethod.TruncatedSvd => new TruncatedSvdRule(rows, cols, rank),
        UpdateMethod.Sbe => new SbeRule(rows, cols, WithRank(estimatorOptions, rank), seed),
        _ => throw new ArgumentException($"Unknown update method {method}.", nameof(method)),
    };

    private static EstimatorOptions WithRank(EstimatorOptions? o, int rank)
    {
        o ??= new EstimatorOptions();
        if (o.Rank == rank) return o;
        return new EstimatorOptions
        {
            Rank = rank, SubBatch = o.SubBatch, DivisionFree = o.DivisionFree, OjaRate = o.OjaRate,
            QuantizationBits = o.QuantizationBits, StochasticRounding = o.StochasticRounding, Magnitude = o.Magnitude,
            Initialization = o.Initialization, WarmStart = o.WarmStart,
        };
    }
}
