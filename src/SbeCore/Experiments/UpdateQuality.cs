using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>
/// How well each low-rank rule approximates the batch-mean gradient M of a real training stream. Every batch of
/// every layer of a driving network is also fed to shadow rules (one per candidate and layer, each with its own warm
/// state); each shadow writes its update with learning rate -1 onto a zeroed exact tile, so the tile then holds the
/// rule's estimate of M, and is scored against M and its exact top singular value s1: residual ||M - est|| / ||M||
/// (above 1: the write leaves the weights further from the gradient step than no write) and, for rank 1, the magnitude
/// error ||est|| / s1 - 1. The shadows never touch the driving network.
/// </summary>
public sealed class UpdateQuality : IBatchObserver
{
    private readonly (string Label, IUpdateRule[] Rules)[] _candidates;
    private readonly CrossbarTile[] _scratch;
    private readonly float[][] _dense, _zero;
    private readonly float[] _s = new float[1];
    private readonly float[][] _u, _v;
    private readonly Dictionary<int, BatchSvdSolver> _solvers = []; // per layer: the exact SVD's own scratch

    /// <summary>One shadow per candidate and layer; <paramref name="create"/> builds a candidate's rule for a layer.</summary>
    public UpdateQuality(Network network, IReadOnlyList<string> labels, Func<string, int, int, int, IUpdateRule> create)
    {
        int layers = network.LayerCount;
        _candidates = labels.Select(label => (label, Enumerable.Range(0, layers)
            .Select(l => create(label, l, network.GetTile(l).Rows, network.GetTile(l).Cols)).ToArray())).ToArray();
        _scratch = Enumerable.Range(0, layers).Select(l => new CrossbarTile(network.GetTile(l).Rows, network.GetTile(l).Cols)).ToArray();
        _dense = _scratch.Select(t => new float[t.Rows * t.Cols]).ToArray();
        _zero = _scratch.Select(t => new float[t.Rows * t.Cols]).ToArray();
        _u = _scratch.Select(t => new float[t.Rows]).ToArray();
        _v = _scratch.Select(t => new float[t.Cols]).ToArray();
        Scores = labels.ToDictionary(l => l, _ => new List<(int Layer, double Residual, double MagnitudeError)>());
    }

    /// <summary>Per candidate label: one (layer, residual, magnitude error) per batch and layer.</summary>
    public Dictionary<string, List<(int Layer, double Residual, double MagnitudeError)>> Scores { get; }

    /// <inheritdoc />
    public void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols)
    {
        if (n == 0) return;
        var m = _dense[layer];
        Array.Clear(m);
        for (int j = 0; j < n; j++) Kernels.Blas.Ger(1f / n, deltas.Slice(j * rows, rows), inputs.Slice(j * cols, cols), m, rows, cols, cols);
        double norm = Norm(m);
        if (norm == 0) return;
        BatchSvd.Solver(_solvers, layer, rows, cols).TopK(deltas, inputs, n, _s, _u[layer], _v[layer]);
        double s1 = _s[0];
        var tile = _scratch[layer];
        foreach (var (label, rules) in _candidates)
        {
            tile.SetWeights(_zero[layer]);
            rules[layer].Apply(tile, deltas, inputs, n, -1f);
            var est = tile.Weights;
            double diff = 0, size = 0;
            for (int i = 0; i < m.Length; i++) { double e = m[i] - (double)est[i]; diff += e * e; size += (double)est[i] * est[i]; }
            Scores[label].Add((layer, Math.Sqrt(diff) / norm, s1 > 0 ? Math.Sqrt(size) / s1 - 1 : double.NaN));
        }
    }

    /// <inheritdoc />
    public void AfterUpdate(int layer, IUpdateRule rule) { }

    private static double Norm(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (float e in v) s += (double)e * e;
        return Math.Sqrt(s);
    }
}
