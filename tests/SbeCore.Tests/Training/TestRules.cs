using SbeCore.Crossbar;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

/// <summary>Test double: the dense batch-mean step W -= lr * (1/n) sum delta x^T, with a preallocated buffer.</summary>
internal sealed class DenseMeanRule(int rows, int cols) : IUpdateRule
{
    private readonly float[] _g = new float[rows * cols];
    public string Name => "test-dense";
    public long RankOneWrites { get; private set; }
    public long PeripheralMemoryBytes => _g.Length * sizeof(float);

    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        Array.Clear(_g);
        for (int j = 0; j < n; j++)
            for (int r = 0; r < rows; r++)
            {
                float d = deltas[j * rows + r] / n;
                for (int c = 0; c < cols; c++) _g[r * cols + c] += d * inputs[j * cols + c];
            }
        long writes = Math.Min(n, Math.Min(rows, cols));
        tile.UpdateDense(learningRate, _g, writes);
        RankOneWrites += writes;
    }
}

/// <summary>Test double: remembers the last batch and changes nothing.</summary>
internal sealed class RecordingRule(int rows, int cols) : IUpdateRule
{
    public string Name => "test-record";
    public long RankOneWrites => 0;
    public long PeripheralMemoryBytes => 0;
    public float[] Deltas { get; private set; } = [];
    public float[] Inputs { get; private set; } = [];
    public int N { get; private set; }
    public int Rows => rows;
    public int Cols => cols;

    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        Deltas = deltas.ToArray(); Inputs = inputs.ToArray(); N = n;
    }

    /// <summary>The batch-mean gradient (1/n) sum delta_j x_j^T, in double.</summary>
    public double[] MeanGradient()
    {
        var g = new double[rows * cols];
        for (int j = 0; j < N; j++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) g[r * cols + c] += (double)Deltas[j * rows + r] * Inputs[j * cols + c] / N;
        return g;
    }
}
