using SbeCore.Kernels;

namespace SbeCore.Crossbar;

// Reads of n samples whose input vectors are the columns of a per-sample block, the layout of a convolution (channel-
// major images: a sample's P patches as the columns of its unfolded C k k x P matrix, its outputs as C_out x P). The
// same reads as Read and ReadTransposed of the P x n vectors: with a perfect I/O model each sample is one product with W
// (no transposes, long vectors along the positions); with an I/O model the vectors are transposed into the position-
// major batch and read there, so the model sees exactly the batch Read sees (the same draws and bits).
public sealed partial class CrossbarTile
{
    private float[] _columnInputs = [], _columnOutputs = [], _transposedWeights = [];

    /// <summary>Forward read of <paramref name="n"/> samples of <paramref name="positions"/> input vectors each, stored
    /// as columns: inputs is n x Cols x positions (vector p of sample j is column p of block j), outputs n x Rows x
    /// positions. The same outputs as <see cref="Read"/> of the n x positions vectors, through the forward I/O model.</summary>
    public void ReadColumns(ReadOnlySpan<float> inputs, int n, int positions, Span<float> outputs)
    {
        int vectors = ColumnVectors(n, positions);
        CheckRead(inputs, vectors, Cols, outputs, Rows, nameof(inputs));
        if (Config.Forward.IsPerfect)
        {
            RequireFinite(inputs.Slice(0, vectors * Cols), nameof(inputs));
            // sample j's outputs = W (Rows x Cols) times its Cols x P block
            Threaded.BlockProducts(_weights, Rows, inputs.Slice(0, vectors * Cols), Cols, positions, n, outputs, _threads);
            return;
        }
        ReadThroughRows(inputs, n, positions, outputs, transposed: false, nameof(inputs));
    }

    /// <summary>Backward read of <paramref name="n"/> samples of <paramref name="positions"/> error vectors each, stored as
    /// columns: errors is n x Rows x positions, outputs n x Cols x positions. The same outputs as
    /// <see cref="ReadTransposed"/> of the n x positions vectors, through the backward I/O model.</summary>
    public void ReadTransposedColumns(ReadOnlySpan<float> errors, int n, int positions, Span<float> outputs)
    {
        int vectors = ColumnVectors(n, positions);
        CheckRead(errors, vectors, Rows, outputs, Cols, nameof(errors));
        if (Config.Backward.IsPerfect)
        {
            RequireFinite(errors.Slice(0, vectors * Rows), nameof(errors));
            Grow(ref _transposedWeights, Rows * Cols);
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Cols; c++) _transposedWeights[c * Rows + r] = _weights[r * Cols + c];
            // sample j's outputs = W^T (Cols x Rows) times its Rows x P block
            Threaded.BlockProducts(_transposedWeights.AsSpan(0, Rows * Cols), Cols, errors.Slice(0, vectors * Rows), Rows, positions, n, outputs, _threads);
            return;
        }
        ReadThroughRows(errors, n, positions, outputs, transposed: true, nameof(errors));
    }

    private static int ColumnVectors(int n, int positions)
    {
        Check.AtLeast(n, 0);
        Check.AtLeast(positions, 1);
        long vectors = (long)n * positions;
        if (vectors > int.MaxValue) throw new ArgumentException($"{n} samples of {positions} positions are more than {int.MaxValue} vectors.", nameof(positions));
        return (int)vectors;
    }

    // The columns transposed into the position-major batch, checked finite (an element named in the caller's layout),
    // read by Read / ReadTransposed's I/O model, transposed back.
    private void ReadThroughRows(ReadOnlySpan<float> inputs, int n, int positions, Span<float> outputs, bool transposed, string name)
    {
        int inLen = transposed ? Rows : Cols, outLen = transposed ? Cols : Rows, vectors = n * positions;
        Grow(ref _columnInputs, (long)vectors * inLen);
        Grow(ref _columnOutputs, (long)vectors * outLen);
        Span<float> rowsIn = _columnInputs.AsSpan(0, vectors * inLen), rowsOut = _columnOutputs.AsSpan(0, vectors * outLen);
        Transpose.Blocks(inputs, n, inLen, positions, rowsIn);
        RequireFiniteInputs(transposed ? _backwardReader : _forwardReader, transposed ? Config.Backward : Config.Forward, rowsIn, vectors, inLen,
            inputs.Slice(0, vectors * inLen), name);
        if (transposed) _backwardReader.Read(Config.Backward, _weights, Rows, Cols, transposed: true, rowsIn, vectors, rowsOut, ++_reads, _threads);
        else _forwardReader.Read(Config.Forward, _weights, Rows, Cols, transposed: false, rowsIn, vectors, rowsOut, ++_reads, _threads);
        Transpose.Blocks(rowsOut, n, positions, outLen, outputs);
    }

    private static void Grow(ref float[] buffer, long length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }
}
