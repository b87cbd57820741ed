using SbeCore.Crossbar;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// A 2-D convolution on one tile, mapped as analog simulators (aihwkit's AnalogConv2d) map it: rows = output channels,
/// cols = in_channels x k x k + 1 (the bias column, fed 1, as in the dense layers). Forward unfolds every sample into
/// its P patches (im2col into a reusable buffer) and reads all n x P of them in one batched tile read, so the tile's
/// I/O model (DAC, noise, ADC) applies to every patch read, as to every dense read. Backward is one batched
/// transposed read of the n x P deltas, folded back onto the input (col2im). The update pairs are (delta_{j,p},
/// patch_{j,p}), n x P of them.
/// </summary>
public sealed class Conv2dLayer : ITileLayer
{
    private readonly ConvGeometry _g;
    private readonly PaddedInput? _padded; // a padded convolution unfolds from a zero-bordered copy
    private float[] _patches = [], _z = [], _delta = [], _back = [];
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
        int p = Positions, cols = Tile.Cols, rows = Tile.Rows;
        _patches = LayerBuffers.Floats(n, (long)p * cols, Name);
        for (long r = 0; r < (long)n * p; r++) _patches[r * cols + cols - 1] = 1f; // the bias input never changes
        _z = LayerBuffers.Floats(n, (long)p * rows, Name);
        _delta = LayerBuffers.Floats(n, (long)p * rows, Name);
        _back = LayerBuffers.Floats(n, (long)p * cols, Name);
        _capacity = n;
    }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int p = Positions, cols = Tile.Cols, rows = Tile.Rows, inSize = Input.Size;
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> sample = input.Slice(j * inSize, inSize);
            Span<float> patches = _patches.AsSpan(j * p * cols, p * cols);
            if (_padded is null) Im2Col.Unfold(_g, sample, patches, cols);
            else Im2Col.Unfold(_padded.Geometry, _padded.Load(sample), patches, cols);
        }
        Span<float> z = _z.AsSpan(0, n * p * rows);
        Tile.Read(_patches.AsSpan(0, n * p * cols), n * p, z);
        for (int j = 0; j < n; j++) // position-major tile output to channel-major samples
        {
            ReadOnlySpan<float> zj = z.Slice(j * p * rows, p * rows);
            Span<float> oj = output.Slice(j * p * rows, p * rows);
            for (int q = 0; q < p; q++)
                for (int c = 0; c < rows; c++) oj[c * p + q] = zj[q * rows + c];
        }
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput)
    {
        int p = Positions, cols = Tile.Cols, rows = Tile.Rows, inSize = Input.Size;
        Span<float> delta = _delta.AsSpan(0, n * p * rows);
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> gj = gradOutput.Slice(j * p * rows, p * rows);
            Span<float> dj = delta.Slice(j * p * rows, p * rows);
            for (int c = 0; c < rows; c++)
                for (int q = 0; q < p; q++) dj[q * rows + c] = gj[c * p + q];
        }
        if (gradInput.IsEmpty) return;
        Span<float> back = _back.AsSpan(0, n * p * cols);
        Tile.ReadTransposed(delta, n * p, back);
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> patches = back.Slice(j * p * cols, p * cols);
            Span<float> gradSample = gradInput.Slice(j * inSize, inSize);
            if (_padded is null) { Im2Col.Fold(_g, patches, cols, gradSample); continue; }
            Im2Col.Fold(_padded.Geometry, patches, cols, _padded.Gradient);
            _padded.Crop(gradSample);
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> PairDeltas(ReadOnlySpan<float> gradOutput, int n) => _delta.AsSpan(0, n * Positions * Tile.Rows);
    /// <inheritdoc />
    public ReadOnlySpan<float> PairInputs(int n) => _patches.AsSpan(0, n * Positions * Tile.Cols);
}
