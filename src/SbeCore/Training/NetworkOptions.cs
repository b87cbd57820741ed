using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Updates;

namespace SbeCore.Training;

/// <summary>What a <see cref="Network"/> is built from. The same options and seed give bit-identical weights and runs.</summary>
public sealed class NetworkOptions
{
    /// <summary>Neurons per layer, input first, classes last: e.g. [784, 100, 10]. At least two entries, each >= 1.</summary>
    public int[] LayerSizes { get; init; } = [784, 100, 10];

    /// <summary>Hidden-layer activation (default ReLU).</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Weight-update rule of every layer (default SBE).</summary>
    public UpdateMethod Method { get; init; } = UpdateMethod.Sbe;

    /// <summary>k for TruncatedSvd, Sbe, Sbpca and Lrt (capped per layer at min(rows, cols)); ignored by Sgd and MiniBatch.</summary>
    public int Rank { get; init; } = 1;

    /// <summary>k per weight layer, input side first (e.g. [4, 1]: rank 4 on the hidden layer, 1 on the output layer),
    /// overriding <see cref="Rank"/> and the estimator's Rank layer by layer; one entry per weight layer, each >= 1 and
    /// capped at the layer's min(rows, cols) like <see cref="Rank"/>. Null (default): every layer takes <see cref="Rank"/>.
    /// A small output layer can take a different rank at little cost in rank-1 writes.</summary>
    public int[]? LayerRanks { get; init; }

    /// <summary>m, samples per bi-iteration step of rank-k SBE and per power-iteration step of SBPCA (1 = fully streaming).</summary>
    public int SubBatch { get; init; } = 1;

    /// <summary>SBPCA only: the published schedule (whole sub-batches only: the tail of a batch, and a batch smaller
    /// than the sub-batch, are dropped, as in the authors' code). Off: the tail is a shorter last sub-batch.</summary>
    public bool PublishedSchedule { get; init; }

    /// <summary>Full estimator options for Sbe; when set, its Rank and SubBatch win over <see cref="Rank"/> and <see cref="SubBatch"/>.</summary>
    public EstimatorOptions? Estimator { get; init; }

    /// <summary>Device and I/O configuration of every tile (null = ideal exact device).</summary>
    public TileConfig? TileConfig { get; init; }

    /// <summary>
    /// Layers as text (<see cref="Layers.ArchitectureSpec"/>: e.g. "lenet5" or "conv6k5p2-pool2-conv16k5-pool2-fc120-fc84");
    /// null = the MLP of <see cref="LayerSizes"/>. When set, LayerSizes gives only the features (first) and classes (last).
    /// </summary>
    public string? Architecture { get; init; }

    /// <summary>Threads each tile's reads, mini-batch gradient and pulsed writes may split over (1 to 64, default 1; see
    /// <see cref="CrossbarTile.Threads"/>). Results are bit-identical for every value.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The rank weight layer <paramref name="layer"/> asks for: LayerRanks[layer] when set, else the
    /// estimator's Rank or <see cref="Rank"/> (before the cap at the layer's min(rows, cols)).</summary>
    internal int RankOf(int layer) => LayerRanks is { } ranks && layer < ranks.Length ? ranks[layer] : Estimator?.Rank ?? Rank;

    /// <summary>Seeds the He-normal initial weights (independent of the method), the tiles' device draws and the rules' estimators.</summary>
    public ulong Seed { get; init; }
}
