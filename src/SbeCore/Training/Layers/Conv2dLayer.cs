using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// A 2-D convolution on one tile, mapped as analog simulators (aihwkit's AnalogConv2d) map it: rows = output channels,
/// cols = in_channels x k x k + 1 (the bias column, fed 1, as in the dense layers). Forward unfolds every sample into
/// the columns of its (PatchSize + 1) x P matrix (im2col, PyTorch's layout) and reads them in one column read
/// (<see cref="CrossbarTile.ReadColumns"/>): the tile's I/O model applies to every patch read, as to every dense read,
/// and the outputs come out channel-major. Backward is one transposed column read of the channel-major deltas, folded
/// back onto the input (col2im). The update pairs are (delta_{j,p}, patch_{j,p}), n x P of them, in either layout.
/// </summary>
public sealed class Conv2dLayer : ITileLayer
{
    private readonly ConvGeometry _g;
    private readonly PaddedInput? _padded; // a padded convolution unfolds from a zero-bordered copy
    private float[] _columns = [], _back = []; // n x Cols x P: the unfolded inputs; the backward read's output
    private float[] _patches = [], _delta = []; // the same pairs position-major, made when a rule asks for them
    private int _patchesFor = -1, _deltasFor = -1; // the batch size they were made for (-1: not made since the last pass)
    private int _capacity;

    /// <summary>Wraps <paramref name="tile"/> (OutChannels x (PatchSize + 1)) for geometry <paramref name="geometry"/>.</summary>
    /// <exception cref="ArgumentException">An impossible geometry, or a tile of the wrong shape.</exception>
    public Conv2dLayer(ConvGeometry geometry, CrossbarTile tile, IUpdateRule rule)
    {
        ArgumentNullException.ThrowIfNull(tile);
        ArgumentNullException.ThrowIfNull(rule);
        _g = geometry;
        _g.Validate(Name);
        if (tile.Rows != geometry.OutChannels || tile.Cols != geometry.PatchSize + 1)
            throw new ArgumentException($"layer {Name}: the tile is {tile.Rows} x {tile.Cols}, the geometry needs {geometry.OutChannels} x {geometry.PatchSize + 1}.", nameof(tile));
        Tile = tile; Rule = rule;
        if (geometry.Padding > 0) _padded = new PaddedInput(geometry);
    }

    /// <summary>The convolution's geometry.</summary>
    public ConvGeometry Geometry => _g;
    /// <inheritdoc />
    public string Name => $"conv{_g.OutChannels}k{_g.Kernel}{(_g.Stride != 1 ? $"s{_g.Stride}" : "")}{(_g.Padding != 0 ? $"p{_g.Padding}" : "")}";
    /// <inheritdoc />
    public TensorShape Input => _g.Input;
    /// <inheritdoc />
    public TensorShape Output => _g.Output;
    /// <inheritdoc />
    public CrossbarTile Tile { get; }
    /// <inheritdoc />
    public IUpdateRule Rule { get; }
    /// <inheritdoc />
    public int Positions => _g.Positions;

    /// <inheritdoc />
    public void EnsureCapacity(int n)
    {
        if (n <= _capacity) return;
        int p = Positions, cols = Tile.Cols;
        _columns = LayerBuffers.Floats(n, (long)p * cols, Name);
        for (int j = 0; j < n; j++) _columns.AsSpan((j * cols + cols - 1) * p, p).Fill(1f); // the bias input never changes
        _back = LayerBuffers.Floats(n, (long)p * cols, Name);
        _patches = _delta = []; // grown when a rule first asks for position-major pairs (mini-batch never does)
        _capacity = n;
    }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int p = Positions, cols = Tile.Cols, inSize = Input.Size;
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> sample = input.Slice(j * inSize, inSize);
            Span<float> columns = _columns.AsSpan(j * cols * p, _g.PatchSize * p);
            if (_padded is null) Im2Col.Unfold(_g, sample, columns);
            else Im2Col.Unfold(_padded.Geometry, _padded.Load(sample), columns);
        }
        _patchesFor = -1;
        Tile.ReadColumns(_columns.AsSpan(0, n * p * cols), n, p, output[..(n * p * Tile.Rows)]);
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput)
    {
        _deltasFor = -1;
        if (gradInput.IsEmpty) return;
        int p = Positions, cols = Tile.Cols, inSize = Input.Size;
        Span<float> back = _back.AsSpan(0, n * p * cols);
        Tile.ReadTransposedColumns(gradOutput[..(n * p * Tile.Rows)], n, p, back);
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> columns = back.Slice(j * p * cols, p * cols);
            Span<float> gradSample = gradInput.Slice(j * inSize, inSize);
            if (_padded is null) { Im2Col.Fold(_g, columns, gradSample); continue; }
            Im2Col.Fold(_padded.Geometry, columns, _padded.Gradient);
            _padded.Crop(gradSample);
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltaColumns(ReadOnlySpan<float> gradOutput, int n) => gradOutput[..(n * Positions * Tile.Rows)];
    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputColumns(int n) => _columns.AsSpan(0, n * Positions * Tile.Cols);

    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltas(ReadOnlySpan<float> gradOutput, int n)
    {
        if (_delta.Length < n * Positions * Tile.Rows) _delta = LayerBuffers.Floats(_capacity, (long)Positions * Tile.Rows, Name);
        var deltas = _delta.AsSpan(0, n * Positions * Tile.Rows);
        if (_deltasFor != n) Transpose.Blocks(PairDeltaColumns(gradOutput, n), n, Tile.Rows, Positions, deltas);
        _deltasFor = n;
        return deltas;
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputs(int n)
    {
        if (_patches.Length < n * Positions * Tile.Cols) _patches = LayerBuffers.Floats(_capacity, (long)Positions * Tile.Cols, Name);
        var patches = _patches.AsSpan(0, n * Positions * Tile.Cols);
        if (_patchesFor != n) Transpose.Blocks(PairInputColumns(n), n, Tile.Cols, Positions, patches);
        _patchesFor = n;
        return patches;
    }
}
