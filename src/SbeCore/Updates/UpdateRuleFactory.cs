using SbeCore.Eigen;

namespace SbeCore.Updates;

// FROZEN PUBLIC SIGNATURES; placeholder body.

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
    /// <summary>Creates the rule for one rows x cols layer. <paramref name="rank"/> is k for TruncatedSvd and Sbe (ignored otherwise).</summary>
    public static IUpdateRule Create(UpdateMethod method, int rows, int cols, int rank = 1,
        EstimatorOptions? estimatorOptions = null, ulong seed = 0) => throw new NotImplementedException();
}
