using SbeCore.Crossbar;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// A fully connected layer on one tile (rows = outputs, cols = inputs + 1 bias column fed 1): the MLP's layer, with the
/// same reads in the same order, so a stack of dense layers trains bit-identically to <see cref="Network"/>'s MLP.
/// </summary>
public sealed class DenseLayer : ITileLayer
{
    private float[] _x = [], _back = [];
    private int _capacity;

    /// <summary>Wraps <paramref name="tile"/> (Rows outputs, Cols = inputs + 1) and its rule.</summary>
    public DenseLayer(CrossbarTile tile, IUpdateRule rule)
    {
        Tile = tile ?? throw new ArgumentNullException(nameof(tile));
        Rule = rule ?? throw new ArgumentNullException(nameof(rule));
        if (tile.Cols < 2) throw new ArgumentException($"a dense tile needs at least one input and the bias column (Cols = {tile.Cols}).", nameof(tile));
        Input = TensorShape.Vector(tile.Cols - 1);
        Output = TensorShape.Vector(tile.Rows);
    }

    /// <inheritdoc />
    public string Name => $"fc{Tile.Rows}";
    /// <inheritdoc />
    public TensorShape Input { get; }
    /// <inheritdoc />
    public TensorShape Output { get; }
    /// <inheritdoc />
    public CrossbarTile Tile { get; }
    /// <inheritdoc />
    public IUpdateRule Rule { get; }
    /// <inheritdoc />
    public int Positions => 1;

    /// <inheritdoc />
    public void EnsureCapacity(int n)
    {
        if (n <= _capacity) return;
        int cols = Tile.Cols;
        _x = LayerBuffers.Floats(n, cols, Name);
        for (int j = 0; j < n; j++) _x[j * cols + cols - 1] = 1f; // the bias input never changes
        _back = LayerBuffers.Floats(n, cols, Name);
        _capacity = n;
    }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int inSize = Input.Size, cols = Tile.Cols;
        for (int j = 0; j < n; j++) input.Slice(j * inSize, inSize).CopyTo(_x.AsSpan(j * cols, inSize));
        Tile.Read(_x.AsSpan(0, n * cols), n, output[..(n * Tile.Rows)]);
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput)
    {
        if (gradInput.IsEmpty) return;
        int cols = Tile.Cols, inSize = cols - 1;
        Span<float> back = _back.AsSpan(0, n * cols);
        Tile.ReadTransposed(gradOutput[..(n * Tile.Rows)], n, back);
        for (int j = 0; j < n; j++) back.Slice(j * cols, inSize).CopyTo(gradInput.Slice(j * inSize, inSize));
    }

    /// <inheritdoc />
    /// <remarks>One pair per sample: both layouts are the same rows.</remarks>
    public bool PairsAsColumns => false;
    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltaColumns(ReadOnlySpan<float> gradOutput, int n) => PairDeltas(gradOutput, n);
    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputColumns(int n) => PairInputs(n);
    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltas(ReadOnlySpan<float> gradOutput, int n) => gradOutput[..(n * Tile.Rows)];
    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputs(int n) => _x.AsSpan(0, n * Tile.Cols);
}
