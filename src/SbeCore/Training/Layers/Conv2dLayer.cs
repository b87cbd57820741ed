using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// A 2-D convolution on one tile, mapped as analog simulators (aihwkit's AnalogConv2d) map it: rows = output channels,
/// cols = in_channels x k x k + 1 (the bias column, fed 1, as in the dense layers). Forward unfolds every sample (im2col)
/// and reads all n x P patches in one batched tile read, so the tile's I/O model applies to every patch read, as to
/// every dense read; backward is one batched transposed read of the n x P deltas, folded back (col2im). The update pairs
/// are (delta_{j,p}, patch_{j,p}), n x P of them, in either layout. Two layouts, chosen by the tile: with perfect reads
/// each sample's patches are the columns of its matrix (PyTorch's layout: <see cref="CrossbarTile.ReadColumns"/> is one
/// product per sample and the outputs come out channel-major); through an I/O model, which reads its input vectors as
/// rows, the patches are unfolded as rows (position-major), the batch the model reads, with a transpose to channel-major.
/// </summary>
public sealed class Conv2dLayer : ITileLayer
{
    private readonly ConvGeometry _g;
    private readonly PaddedInput? _padded; // a padded convolution unfolds from a zero-bordered copy
    private readonly bool _columnsLayout; // perfect reads both ways: the column layout; else position-major rows
    private float[] _columns = [], _patches = [], _z = [], _delta = [], _back = []; // pairs in both layouts, a read's scratch
    private int _otherInputsFor = -1, _otherDeltasFor = -1; // the batch size the other layout was made for (-1: not made)
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
        _columnsLayout = tile.Config.Forward.IsPerfect && tile.Config.Backward.IsPerfect;
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
    /// <remarks>Columns with perfect reads both ways; position-major rows through an I/O model.</remarks>
    public bool PairsAsColumns => _columnsLayout;

    /// <inheritdoc />
    public void EnsureCapacity(int n)
    {
        if (n <= _capacity) return;
        int p = Positions, cols = Tile.Cols, rows = Tile.Rows;
        _back = LayerBuffers.Floats(n, (long)p * cols, Name);
        _columns = _patches = _z = _delta = []; // the other layout is grown when a rule first asks for it
        if (_columnsLayout)
        {
            _columns = LayerBuffers.Floats(n, (long)p * cols, Name);
            for (int j = 0; j < n; j++) _columns.AsSpan((j * cols + cols - 1) * p, p).Fill(1f); // the bias input never changes
        }
        else
        {
            _patches = LayerBuffers.Floats(n, (long)p * cols, Name);
            for (long r = 0; r < (long)n * p; r++) _patches[r * cols + cols - 1] = 1f;
            _z = LayerBuffers.Floats(n, (long)p * rows, Name);
            _delta = LayerBuffers.Floats(n, (long)p * rows, Name);
        }
        _capacity = n;
    }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int p = Positions, cols = Tile.Cols, rows = Tile.Rows, inSize = Input.Size;
        _otherInputsFor = -1;
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> x = input.Slice(j * inSize, inSize);
            var g = _g;
            if (_padded is not null) { g = _padded.Geometry; x = _padded.Load(x); }
            if (_columnsLayout) Im2Col.Unfold(g, x, _columns.AsSpan(j * cols * p, _g.PatchSize * p));
            else Im2Col.UnfoldPatches(g, x, _patches.AsSpan(j * p * cols, p * cols), cols);
        }
        if (_columnsLayout)
        {
            Tile.ReadColumns(_columns.AsSpan(0, n * p * cols), n, p, output[..(n * p * rows)]);
            return;
        }
        Span<float> z = _z.AsSpan(0, n * p * rows);
        Tile.Read(_patches.AsSpan(0, n * p * cols), n * p, z);
        Transpose.Blocks(z, n, p, rows, output); // position-major outputs to channel-major samples
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput)
    {
        int p = Positions, cols = Tile.Cols, rows = Tile.Rows, inSize = Input.Size;
        _otherDeltasFor = -1;
        Span<float> delta = _columnsLayout ? default : _delta.AsSpan(0, n * p * rows);
        if (!_columnsLayout) Transpose.Blocks(gradOutput, n, rows, p, delta); // the deltas as rows, for the read and the rules
        if (gradInput.IsEmpty) return;
        Span<float> back = _back.AsSpan(0, n * p * cols);
        if (_columnsLayout) Tile.ReadTransposedColumns(gradOutput[..(n * p * rows)], n, p, back);
        else Tile.ReadTransposed(delta, n * p, back);
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> block = back.Slice(j * p * cols, p * cols);
            Span<float> gradSample = gradInput.Slice(j * inSize, inSize);
            var g = _padded is null ? _g : _padded.Geometry;
            Span<float> target = _padded is null ? gradSample : _padded.Gradient;
            if (_columnsLayout) Im2Col.Fold(g, block, target);
            else Im2Col.FoldPatches(g, block, cols, target);
            _padded?.Crop(gradSample);
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltaColumns(ReadOnlySpan<float> gradOutput, int n) => gradOutput[..(n * Positions * Tile.Rows)];

    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputColumns(int n)
    {
        int size = n * Positions * Tile.Cols;
        if (_columnsLayout) return _columns.AsSpan(0, size);
        if (_columns.Length < size) _columns = LayerBuffers.Floats(_capacity, (long)Positions * Tile.Cols, Name);
        if (_otherInputsFor != n) Transpose.Blocks(_patches, n, Positions, Tile.Cols, _columns);
        _otherInputsFor = n;
        return _columns.AsSpan(0, size);
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltas(ReadOnlySpan<float> gradOutput, int n)
    {
        int size = n * Positions * Tile.Rows;
        if (!_columnsLayout) return _delta.AsSpan(0, size);
        if (_delta.Length < size) _delta = LayerBuffers.Floats(_capacity, (long)Positions * Tile.Rows, Name);
        if (_otherDeltasFor != n) Transpose.Blocks(PairDeltaColumns(gradOutput, n), n, Tile.Rows, Positions, _delta);
        _otherDeltasFor = n;
        return _delta.AsSpan(0, size);
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputs(int n)
    {
        int size = n * Positions * Tile.Cols;
        if (!_columnsLayout) return _patches.AsSpan(0, size);
        if (_patches.Length < size) _patches = LayerBuffers.Floats(_capacity, (long)Positions * Tile.Cols, Name);
        if (_otherInputsFor != n) Transpose.Blocks(PairInputColumns(n), n, Tile.Cols, Positions, _patches);
        _otherInputsFor = n;
        return _patches.AsSpan(0, size);
    }
}
