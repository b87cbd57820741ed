using SbeCore.Kernels;

namespace SbeCore.Crossbar;

// FROZEN PUBLIC SIGNATURES (update rules, trainer and C ABI compile against them). This is the
// ideal-device placeholder: the crossbar work adds device models, I/O non-idealities, pulsed
// updates, counters and save/load behind the same members (and may add members).

/// <summary>A rows x cols crossbar array. Weights are row-major (row = output, column = input).</summary>
public sealed class CrossbarTile
{
    private readonly float[] _weights;

    /// <summary>Creates a tile; hidden device parameters are drawn from <paramref name="seed"/>.</summary>
    public CrossbarTile(int rows, int cols, TileConfig? config = null, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        Rows = rows; Cols = cols; Config = config ?? new TileConfig();
        _weights = new float[rows * cols];
    }

    /// <summary>Outputs (a).</summary>
    public int Rows { get; }
    /// <summary>Inputs (b).</summary>
    public int Cols { get; }
    /// <summary>The configuration the tile was built with.</summary>
    public TileConfig Config { get; }
    /// <summary>Endurance and energy counters.</summary>
    public TileCounters Counters { get; } = new();

    /// <summary>Current weights, row-major rows x cols (read-only view).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Programs the weights (clipped to device bounds); not counted as training writes.</summary>
    public void SetWeights(ReadOnlySpan<float> weights) => weights.CopyTo(_weights);

    /// <summary>Forward read of a batch: outputs (n x rows) = inputs (n x cols) W^T.</summary>
    public void Read(ReadOnlySpan<float> inputs, int n, Span<float> outputs)
        => Blas.BatchRead(_weights, Rows, Cols, Cols, inputs, n, outputs);

    /// <summary>Backward read of a batch: outputs (n x cols) = errors (n x rows) W.</summary>
    public void ReadTransposed(ReadOnlySpan<float> errors, int n, Span<float> outputs)
        => Blas.BatchReadTransposed(_weights, Rows, Cols, Cols, errors, n, outputs);

    /// <summary>One rank-1 write: W -= learningRate * d x^T.</summary>
    public void Update(float learningRate, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        Blas.Ger(-learningRate, d, x, _weights, Rows, Cols, Cols);
        Counters.RankOneWrites++;
    }

    /// <summary>k rank-1 writes: W -= learningRate * sum_c s[c] d_c x_c^T; d is k x rows, x is k x cols.</summary>
    public void UpdateRankK(float learningRate, ReadOnlySpan<float> s, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        for (int c = 0; c < s.Length; c++) Update(learningRate * s[c], d.Slice(c * Rows, Rows), x.Slice(c * Cols, Cols));
    }

    /// <summary>Dense element-wise write W -= learningRate * g (g rows x cols), as a mini-batch buffer would apply it.
    /// Counts <paramref name="rankOneEquivalent"/> rank-1 writes.</summary>
    public void UpdateDense(float learningRate, ReadOnlySpan<float> g, long rankOneEquivalent)
    {
        Blas.Axpy(-learningRate, g, _weights);
        Counters.RankOneWrites += rankOneEquivalent;
    }
}

/// <summary>Tile configuration: device model, update (pulse) config, forward/backward I/O configs.</summary>
public sealed class TileConfig
{
}

/// <summary>Endurance and energy counters of a tile.</summary>
public sealed class TileCounters
{
    /// <summary>Rank-1 (outer-product) writes issued to the array.</summary>
    public long RankOneWrites { get; set; }
}
