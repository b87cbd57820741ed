using SbeCore.Eigen;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>One sample of a <see cref="WithinBatchTrace"/>: SBE's running estimate against the exact top triplet of the batch it is in.</summary>
/// <param name="Batch">Batch index (0-based from the start of training).</param>
/// <param name="Sample">Sample index within the batch (1-based: the estimate after that many samples).</param>
/// <param name="RightVectorError">1 - |cos(X, x_svd)|.</param>
/// <param name="LeftVectorError">1 - |cos(D, d_svd)|.</param>
/// <param name="ValueError">1 - s sign(cos X) sign(cos D) / s_svd (the estimate projected on the exact rank-1 term).</param>
public readonly record struct TracePoint(long Batch, int Sample, double RightVectorError, double LeftVectorError, double ValueError);

/// <summary>
/// The paper's Fig. 3 measurement: how SBE's singular-vector and -value estimates converge within a batch. A shadow
/// estimator with the rule's options and seed sees exactly the (delta, x) stream the layer's <see cref="SbeRule"/> sees,
/// so its state after every sample is the rule's; for the batches in [<see cref="FirstBatch"/>, FirstBatch + count) it
/// is compared after every sample with the exact top singular triplet of the whole batch (<see cref="BatchSvd.TopK"/>).
/// </summary>
public sealed class WithinBatchTrace : IBatchObserver
{
    private readonly int _layer;
    private readonly SbeRule _rule;
    private readonly SbeEstimator _shadow;
    private readonly float[] _s = new float[1], _d, _x, _sExact = new float[1], _dExact, _xExact;
    private long _batch;
    private BatchSvdSolver? _solver;

    /// <summary>Traces layer <paramref name="layer"/> of <paramref name="network"/> (its rule must be rank-1 SBE) for <paramref name="count"/> batches from <paramref name="firstBatch"/>.</summary>
    /// <exception cref="ArgumentException">The layer's rule is not rank-1 SBE, or the range is invalid.</exception>
    public WithinBatchTrace(Network network, int layer, long firstBatch, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        if ((uint)layer >= (uint)network.LayerCount) throw new ArgumentException($"layer {layer} is outside 0..{network.LayerCount - 1}.", nameof(layer));
        if (network.GetRule(layer) is not SbeRule { Estimator.Rank: 1 } rule) throw new ArgumentException($"layer {layer} is not trained by rank-1 SBE.", nameof(network));
        if (firstBatch < 0 || count < 1) throw new ArgumentException($"need firstBatch >= 0 and count >= 1, got {firstBatch} and {count}.", nameof(count));
        _layer = layer; _rule = rule; FirstBatch = firstBatch; Count = count;
        _shadow = new SbeEstimator(rule.Rows, rule.Cols, rule.Estimator.Options, Network.RuleSeed(network.Options.Seed, layer));
        _d = new float[rule.Rows]; _x = new float[rule.Cols]; _dExact = new float[rule.Rows]; _xExact = new float[rule.Cols];
    }

    /// <summary>First traced batch.</summary>
    public long FirstBatch { get; }
    /// <summary>Traced batches.</summary>
    public int Count { get; }
    /// <summary>Per-sample errors of the traced batches, in order.</summary>
    public List<TracePoint> Points { get; } = [];
    /// <summary>Largest |shadow - rule| over the unit vectors at batch ends (0 when the shadow is exact; a self-check).</summary>
    public double ShadowMismatch { get; private set; }

    /// <inheritdoc />
    public void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols)
    {
        if (layer != _layer) return;
        long batch = _batch;
        if (batch >= FirstBatch && batch < FirstBatch + Count && n > 0)
        {
            (_solver ??= new BatchSvdSolver(rows, cols)).TopK(deltas, inputs, n, _sExact, _dExact, _xExact);
            for (int j = 0; j < n; j++)
            {
                _shadow.Observe(deltas.Slice(j * rows, rows), inputs.Slice(j * cols, cols));
                double cx = Cos(_shadow.RawX, _xExact), cd = Cos(_shadow.RawD, _dExact);
                double projected = _shadow.RawS[0] * Math.Sign(cx) * Math.Sign(cd);
                Points.Add(new TracePoint(batch, j + 1, 1 - Math.Abs(cx), 1 - Math.Abs(cd), _sExact[0] == 0 ? double.NaN : 1 - projected / _sExact[0]));
            }
        }
        else _shadow.ObserveBatch(deltas, inputs, n);
        _shadow.Estimate(_s, _d, _x);
    }

    /// <inheritdoc />
    public void AfterUpdate(int layer, IUpdateRule rule)
    {
        if (layer != _layer) return;
        _batch++;
        double m = 0;
        for (int i = 0; i < _x.Length; i++) m = Math.Max(m, Math.Abs(_x[i] - _rule.LastX[i]));
        for (int i = 0; i < _d.Length; i++) m = Math.Max(m, Math.Abs(_d[i] - _rule.LastD[i]));
        ShadowMismatch = Math.Max(ShadowMismatch, m);
    }

    private static double Cos(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += (double)a[i] * b[i]; aa += (double)a[i] * a[i]; bb += (double)b[i] * b[i]; }
        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }
}
