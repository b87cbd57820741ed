using SbeCore.Crossbar;
using SbeCore.Updates;

namespace SbeCore.Tests.Training.Conv;

/// <summary>Test double: remembers the last batch's n x P pairs and changes nothing.</summary>
internal sealed class PairRecordingRule(int rows, int cols) : IUpdateRule
{
    public string Name => "test-pairs";
    public long RankOneWrites => 0;
    public long PeripheralMemoryBytes => 0;
    public float[] Deltas { get; private set; } = [];
    public float[] Inputs { get; private set; } = [];
    public int N { get; private set; }
    public int Positions { get; private set; }

    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
        => throw new InvalidOperationException("the stack must stream pairs through ApplyPositions");

    public void ApplyPositions(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int positions, float learningRate)
    {
        Deltas = deltas.ToArray(); Inputs = inputs.ToArray(); N = n; Positions = positions;
    }

    /// <summary>dL/dW of the batch-mean loss: (1/n) sum over the n x P pairs of delta x^T, in double.</summary>
    public double[] MeanGradient()
    {
        var g = new double[rows * cols];
        for (int t = 0; t < N * Positions; t++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) g[r * cols + c] += (double)Deltas[t * rows + r] * Inputs[t * cols + c] / N;
        return g;
    }
}
