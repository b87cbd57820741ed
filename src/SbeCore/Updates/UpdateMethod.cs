namespace SbeCore.Updates;

/// <summary>The id of an update rule: the built-in rules' ids are their C ABI values (SBE_METHOD_*); a rule registered
/// at run time (<see cref="UpdateRules.Register"/>) takes any other value. Names, labels and factories live in
/// <see cref="UpdateRules"/>.</summary>
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
