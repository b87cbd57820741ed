namespace SbeCore.Training.Layers;

/// <summary>
/// One sample of a padded convolution's input copied into a zero border, so every window lies inside it: the unfold then
/// takes its fast interior path for all windows (for LeNet-5's conv1, 5 x 5 with padding 2, a quarter of the windows
/// touched the border), and the fold adds without bounds checks into a padded gradient that is cropped back. The border
/// is zeroed once and never written; a slack of <see cref="Slack"/> floats at the end lets the last windows' vector copies
/// read past the last pixel.
/// </summary>
internal sealed class PaddedInput
{
    private const int Slack = 8;
    private readonly TensorShape _input;
    private readonly int _padding;
    private readonly float[] _plane, _gradient;

    public PaddedInput(in ConvGeometry g)
    {
        _input = g.Input;
        _padding = g.Padding;
        var padded = new TensorShape(g.Input.Channels, g.Input.Height + 2 * g.Padding, g.Input.Width + 2 * g.Padding);
        Geometry = g with { Input = padded, Padding = 0 };
        _plane = new float[padded.Size + Slack];
        _gradient = new float[padded.Size];
    }

    /// <summary>The same convolution over the padded input, without padding: the same windows and output positions.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>The padded copy of <paramref name="sample"/> (C x H x W), with the slack.</summary>
    public ReadOnlySpan<float> Load(ReadOnlySpan<float> sample)
    {
        int h = _input.Height, w = _input.Width, pw = w + 2 * _padding, ph = h + 2 * _padding;
        for (int c = 0; c < _input.Channels; c++)
            for (int y = 0; y < h; y++)
                sample.Slice((c * h + y) * w, w).CopyTo(_plane.AsSpan((c * ph + y + _padding) * pw + _padding, w));
        return _plane;
    }

    /// <summary>The padded gradient buffer a fold writes into.</summary>
    public Span<float> Gradient => _gradient;

    /// <summary>Copies the interior of <see cref="Gradient"/> into <paramref name="gradSample"/> (C x H x W).</summary>
    public void Crop(Span<float> gradSample)
    {
        int h = _input.Height, w = _input.Width, pw = w + 2 * _padding, ph = h + 2 * _padding;
        for (int c = 0; c < _input.Channels; c++)
            for (int y = 0; y < h; y++)
                _gradient.AsSpan((c * ph + y + _padding) * pw + _padding, w).CopyTo(gradSample.Slice((c * h + y) * w, w));
    }
}
