using SbeCore.Eigen;

namespace SbeCore.Updates;

// FROZEN PUBLIC SIGNATURES.

/// <summary>The four update rules SbeCore compares.</summary>
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
}

/// <summary>Creates update rules by method.</summary>
public static class UpdateRuleFactory
{
    /// <summary>Creates the rule for one rows x cols layer. <paramref name="rank"/> is k for TruncatedSvd and Sbe (ignored otherwise).
    /// For Sbe, <paramref name="rank"/> overrides the Rank in <paramref name="estimatorOptions"/>.</summary>
    /// <exception cref="ArgumentException">Invalid sizes, rank or options, or an unknown method.</exception>
    public static IUpdateRule Create(UpdateMethod method, int rows, int cols, int rank = 1,
        EstimatorOptions? estimatorOptions = null, ulong seed = 0) => method switch
    {
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
