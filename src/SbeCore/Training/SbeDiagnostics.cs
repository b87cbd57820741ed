using SbeCore.Eigen;
using SbeCore.Updates;

namespace SbeCore.Training;

/// <summary>
/// Diagnostic mode: per batch and layer, the estimate an <see cref="SbeRule"/> just applied (its top triplet) against the
/// exact top singular triplet of the same batch-mean gradient (<see cref="BatchSvd.TopK"/>). Layers whose rule is not
/// SBE are skipped. Costs an exact SVD per batch and layer; not for timed runs.
/// </summary>
internal sealed class SbeDiagnostics : IBatchObserver
{
    private readonly List<DiagnosticRecord> _sink;
    private readonly float[][] _d, _x;
    private readonly float[] _s = new float[1];
    private readonly bool[] _valid;
    private readonly double[] _exactS;
    private readonly Dictionary<int, BatchSvdSolver> _solvers = []; // per layer: the exact SVD's own scratch

    public SbeDiagnostics(Network network, List<DiagnosticRecord> sink)
    {
        _sink = sink;
        _d = new float[network.LayerCount][]; _x = new float[network.LayerCount][];
        _valid = new bool[network.LayerCount];
        _exactS = new double[network.LayerCount];
        for (int l = 0; l < network.LayerCount; l++) { _d[l] = new float[network.GetTile(l).Rows]; _x[l] = new float[network.GetTile(l).Cols]; }
    }

    /// <summary>Index of the batch being trained (set by the trainer).</summary>
    public long Update { get; set; }

    public void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols)
    {
        BatchSvd.Solver(_solvers, layer, rows, cols).TopK(deltas, inputs, n, _s, _d[layer], _x[layer]);
        _exactS[layer] = _s[0];
        _valid[layer] = true;
    }

    public void AfterUpdate(int layer, IUpdateRule rule)
    {
        if (!_valid[layer] || rule is not SbeRule sbe) return;
        _valid[layer] = false;
        double exact = _exactS[layer];
        double cosX = Cos(sbe.LastX[..sbe.Cols], _x[layer]), cosD = Cos(sbe.LastD[..sbe.Rows], _d[layer]);
        // SBE's vectors may flip sign (in pairs, or with s negative): the singular value it applies is s * d.u * x.v signs.
        double applied = sbe.LastS[0] * Math.Sign(cosX) * Math.Sign(cosD);
        _sink.Add(new DiagnosticRecord
        {
            Update = Update, Layer = layer,
            RightVectorError = 1 - Math.Abs(cosX),
            LeftVectorError = 1 - Math.Abs(cosD),
            ValueError = exact == 0 ? double.NaN : 1 - applied / exact,
        });
    }

    private static double Cos(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += (double)a[i] * b[i]; aa += (double)a[i] * a[i]; bb += (double)b[i] * b[i]; }
        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }
}
