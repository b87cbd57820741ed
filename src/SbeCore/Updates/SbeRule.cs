using SbeCore.Crossbar;
using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>SBE-k: the batch streams through an <see cref="SbeEstimator"/>; its estimate is applied as k rank-1 writes.
/// The estimator's state is the next batch's warm start (unless <see cref="EstimatorOptions.WarmStart"/> is off).</summary>
public sealed class SbeRule : IUpdateRule
{
    private readonly float[] _s, _d, _x;

    /// <summary>Creates the rule for a rows x cols layer. The options' Rank is k.</summary>
    public SbeRule(int rows, int cols, EstimatorOptions? options = null, ulong seed = 0)
    {
        Estimator = new SbeEstimator(rows, cols, options, seed);
        int k = Estimator.Rank;
        _s = new float[k]; _d = new float[k * rows]; _x = new float[k * cols];
    }

    /// <summary>The estimator (for diagnostics: its last estimate is in <see cref="LastS"/>, <see cref="LastD"/>, <see cref="LastX"/>).</summary>
    public SbeEstimator Estimator { get; }
    /// <summary>a.</summary>
    public int Rows => Estimator.Rows;
    /// <summary>b.</summary>
    public int Cols => Estimator.Cols;
    /// <inheritdoc />
    public string Name => $"sbe-{Estimator.Rank}";
    /// <inheritdoc />
    public long RankOneWrites { get; private set; }
    /// <summary>(k(a+b) + k) floats of estimator state, plus m(a+b) floats of sub-batch buffer when m &gt; 1.</summary>
    public long PeripheralMemoryBytes => (Estimator.StateFloats + Estimator.SubBatchBufferFloats) * sizeof(float);

    /// <summary>The last applied singular values.</summary>
    public ReadOnlySpan<float> LastS => _s;
    /// <summary>The last applied left vectors (k x Rows).</summary>
    public ReadOnlySpan<float> LastD => _d;
    /// <summary>The last applied right vectors (k x Cols).</summary>
    public ReadOnlySpan<float> LastX => _x;

    /// <inheritdoc />
    public void Apply(CrossbarTile tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        Estimator.ObserveBatch(deltas, inputs, n);
        Estimator.Estimate(_s, _d, _x);
        if (Estimator.Options.Magnitude == MagnitudeEstimate.Rayleigh) Estimator.ReplayMagnitudes(deltas, inputs, n, _s);
        tile.UpdateRankK(learningRate, _s, _d, _x);
        RankOneWrites += Estimator.Rank;
        if (!Estimator.Options.WarmStart) Estimator.Reset();
    }
}
