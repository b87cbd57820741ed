using SbeCore.Crossbar;
using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>SBE-k: the batch streams through an <see cref="SbeEstimator"/>; its estimate is applied as k rank-1 writes.
/// The estimator's state is the next batch's warm start (unless <see cref="EstimatorOptions.WarmStart"/> is off).</summary>
public sealed class SbeRule : IStreamingUpdateRule, IRuleState, ILayerLocalRule
{
    private readonly float[] _s, _d, _x;
    private readonly float[] _d0 = [], _x0 = []; // StartRayleigh: the batch's start vectors
    private readonly float[] _s0 = [];
    private bool _haveStart;

    /// <summary>Creates the rule for a rows x cols layer. The options' Rank is k.</summary>
    public SbeRule(int rows, int cols, EstimatorOptions? options = null, ulong seed = 0)
    {
        Estimator = new SbeEstimator(rows, cols, options, seed);
        int k = Estimator.Rank;
        _s = new float[k]; _d = new float[k * rows]; _x = new float[k * cols];
        if (Estimator.Options.Magnitude == MagnitudeEstimate.StartRayleigh) { _s0 = new float[k]; _d0 = new float[k * rows]; _x0 = new float[k * cols]; }
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
    /// <summary>(k(a+b) + k) floats of estimator state, plus m(a+b) floats of sub-batch buffer when m &gt; 1, plus the
    /// k(a+b) floats of start vectors for <see cref="MagnitudeEstimate.StartRayleigh"/>.</summary>
    public long PeripheralMemoryBytes => (Estimator.StateFloats + Estimator.SubBatchBufferFloats + _d0.Length + _x0.Length) * sizeof(float);

    // s0_c = (1/n) sum_j (delta_j . d0_c)(x_j . x0_c): the exact quotients along the start vectors, in the same pass.
    private void StartMagnitudes(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n)
    {
        for (int c = 0; c < _s0.Length; c++)
            _s0[c] = (float)(EstimatorKernels.SumOfProducts(deltas, inputs, n, _d0.AsSpan(c * Rows, Rows), _x0.AsSpan(c * Cols, Cols)) / n);
    }

    UpdateWork ILayerLocalRule.Work(int pairs, CrossbarTile tile)
        => new(UpdateWork.Streaming(pairs, Estimator.Rank, Rows, Cols), UpdateWork.Writes(Estimator.Rank, tile));

    /// <summary>The last applied singular values.</summary>
    public ReadOnlySpan<float> LastS => _s;
    /// <summary>The last applied left vectors (k x Rows).</summary>
    public ReadOnlySpan<float> LastD => _d;
    /// <summary>The last applied right vectors (k x Cols).</summary>
    public ReadOnlySpan<float> LastX => _x;

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        bool start = Estimator.Options.Magnitude == MagnitudeEstimate.StartRayleigh && _haveStart;
        if (start) StartMagnitudes(deltas, inputs, n);
        Estimator.ObserveBatch(deltas, inputs, n);
        Estimator.Estimate(_s, _d, _x);
        if (Estimator.Options.Magnitude == MagnitudeEstimate.Rayleigh) Estimator.ReplayMagnitudes(deltas, inputs, n, _s);
        if (start) tile.UpdateRankK(learningRate, _s0, _d0, _x0);
        else tile.UpdateRankK(learningRate, _s, _d, _x); // the first batch has no start vectors yet: the paper's write
        if (Estimator.Options.Magnitude == MagnitudeEstimate.StartRayleigh)
        {
            _d.CopyTo(_d0); _x.CopyTo(_x0);
            _haveStart = Estimator.Options.WarmStart;
        }
        RankOneWrites += Estimator.Rank;
        if (!Estimator.Options.WarmStart) Estimator.Reset();
    }

    /// <inheritdoc />
    /// <remarks>Running-mean and right-norm magnitudes stream; Rayleigh and StartRayleigh read the batch twice.</remarks>
    public bool CanStream => Estimator.Options.Magnitude is MagnitudeEstimate.RunningMean or MagnitudeEstimate.RightNorm;

    /// <inheritdoc />
    public void Observe(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n)
    {
        RequireStreaming();
        Estimator.ObserveBatch(deltas, inputs, n);
    }

    /// <inheritdoc />
    public void WriteObserved(IAnalogArray tile, float learningRate)
    {
        RequireStreaming();
        RuleGuards.CheckApply(tile, Rows, Cols, [], [], 0, learningRate);
        Estimator.Estimate(_s, _d, _x);
        tile.UpdateRankK(learningRate, _s, _d, _x);
        RankOneWrites += Estimator.Rank;
        if (!Estimator.Options.WarmStart) Estimator.Reset();
    }

    private void RequireStreaming()
    {
        if (!CanStream)
            throw new InvalidOperationException($"an sbe rule with {Estimator.Options.Magnitude} magnitudes reads the batch twice and cannot stream it; use Apply.");
    }

    // Counters, the last estimate and start vectors (StartRayleigh's next write), then the estimator's own state blob.
    void IRuleState.WriteState(BinaryWriter w)
    {
        w.Write(RankOneWrites); w.Write(_haveStart);
        RuleStateCodec.WriteFloats(w, _s, _d, _x, _d0, _x0);
        byte[] estimator = Estimator.SaveState();
        w.Write(estimator.Length); w.Write(estimator);
    }

    void IRuleState.ReadState(BinaryReader r)
    {
        long writes = RuleStateCodec.ReadCount(r);
        bool haveStart = r.ReadBoolean();
        float[][] arrays = RuleStateCodec.ReadFloats(r, _s, _d, _x, _d0, _x0);
        int length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException($"the sbe rule's estimator state announces {length} bytes, more than remain.");
        try { Estimator.LoadState(r.ReadBytes(length)); }
        catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
        RankOneWrites = writes; _haveStart = haveStart;
        RuleStateCodec.CopyTo(arrays, _s, _d, _x, _d0, _x0);
    }
}
