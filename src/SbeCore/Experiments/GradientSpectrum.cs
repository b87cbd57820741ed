using SbeCore.Eigen;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>Singular values of one batch-mean gradient M = (1/n) sum_j delta_j x_j^T and its squared Frobenius norm.</summary>
/// <param name="Batch">Batch index (0-based).</param>
/// <param name="SingularValues">All min(n, rows, cols) singular values, descending.</param>
/// <param name="FrobeniusSquared">|M|_F^2 computed densely (equals the sum of squared singular values up to rounding).</param>
public sealed record SpectrumRecord(long Batch, double[] SingularValues, double FrobeniusSquared)
{
    /// <summary>Share of |M|_F^2 carried by the top <paramref name="k"/> singular pairs.</summary>
    public double EnergyShare(int k)
    {
        double s = 0;
        for (int i = 0; i < Math.Min(k, SingularValues.Length); i++) s += SingularValues[i] * SingularValues[i];
        return FrobeniusSquared == 0 ? double.NaN : s / FrobeniusSquared;
    }

    /// <summary>Share of the sum of singular values (nuclear norm) carried by the top <paramref name="k"/>.</summary>
    public double NuclearShare(int k)
    {
        double total = SingularValues.Sum(), s = SingularValues.Take(k).Sum();
        return total == 0 ? double.NaN : s / total;
    }
}

/// <summary>
/// The paper's Fig. 1 measurement: the full singular-value spectrum of one layer's batch gradient at selected batches
/// (exact, <see cref="BatchSvd.TopK"/> with k = min(n, rows, cols)), whatever rule trains the network.
/// </summary>
public sealed class GradientSpectrum : IBatchObserver
{
    private readonly int _layer;
    private readonly Func<long, bool> _record;
    private long _batch;
    private BatchSvdSolver? _solver;

    /// <summary>Records layer <paramref name="layer"/> at every batch index for which <paramref name="record"/> is true.</summary>
    public GradientSpectrum(int layer, Func<long, bool> record)
    {
        Check.AtLeast(layer, 0);
        ArgumentNullException.ThrowIfNull(record);
        _layer = layer; _record = record;
    }

    /// <summary>Recorded spectra in batch order.</summary>
    public List<SpectrumRecord> Records { get; } = [];

    /// <inheritdoc />
    public void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols)
    {
        if (layer != _layer || n < 1 || !_record(_batch)) return;
        int k = Math.Min(n, Math.Min(rows, cols));
        var s = new float[k];
        (_solver ??= new BatchSvdSolver(rows, cols)).TopK(deltas, inputs, n, s, new float[k * rows], new float[k * cols]);
        var m = new double[rows * cols];
        for (int j = 0; j < n; j++)
        {
            var d = deltas.Slice(j * rows, rows);
            var x = inputs.Slice(j * cols, cols);
            for (int r = 0; r < rows; r++)
            {
                double dr = d[r];
                if (dr == 0) continue;
                var row = m.AsSpan(r * cols, cols);
                for (int c = 0; c < cols; c++) row[c] += dr * x[c];
            }
        }
        double fro = 0;
        foreach (double v in m) fro += v * v;
        fro /= (double)n * n;
        Records.Add(new SpectrumRecord(_batch, s.Select(v => (double)v).ToArray(), fro));
    }

    /// <inheritdoc />
    public void AfterUpdate(int layer, IUpdateRule rule)
    {
        if (layer == _layer) _batch++;
    }
}
