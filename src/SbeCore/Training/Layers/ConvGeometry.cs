namespace SbeCore.Training.Layers;

/// <summary>
/// Geometry of a 2-D convolution (cross-correlation, as PyTorch's Conv2d): square kernel, one stride and one zero
/// padding for both axes. Output size = floor((in + 2 pad - kernel) / stride) + 1 per axis.
/// </summary>
public readonly record struct ConvGeometry(TensorShape Input, int OutChannels, int Kernel, int Stride = 1, int Padding = 0)
{
    /// <summary>Output height.</summary>
    public int OutHeight => (Input.Height + 2 * Padding - Kernel) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OutWidth => (Input.Width + 2 * Padding - Kernel) / Stride + 1;
    /// <summary>Output positions per sample, P.</summary>
    public int Positions => OutHeight * OutWidth;
    /// <summary>Unfolded patch length: in_channels x kernel x kernel (the tile has one more column, the bias).</summary>
    public int PatchSize => Input.Channels * Kernel * Kernel;
    /// <summary>Output shape.</summary>
    public TensorShape Output => new(OutChannels, OutHeight, OutWidth);

    /// <summary>Refuses impossible geometries, naming <paramref name="layer"/>.</summary>
    /// <exception cref="ArgumentException">A size below 1, or a kernel larger than the padded input.</exception>
    public void Validate(string layer)
    {
        if (Input.Channels < 1 || Input.Height < 1 || Input.Width < 1)
            throw new ArgumentException($"layer {layer}: the input shape {Input} is empty.", "options");
        if (OutChannels < 1) throw new ArgumentException($"layer {layer}: {OutChannels} output channels; need at least 1.", "options");
        if (Kernel < 1) throw new ArgumentException($"layer {layer}: kernel {Kernel}; need at least 1.", "options");
        if (Stride < 1) throw new ArgumentException($"layer {layer}: stride {Stride}; need at least 1.", "options");
        if (Padding < 0) throw new ArgumentException($"layer {layer}: padding {Padding}; need at least 0.", "options");
        if (Input.Height + 2 * Padding < Kernel || Input.Width + 2 * Padding < Kernel)
            throw new ArgumentException($"layer {layer}: kernel {Kernel} is larger than the padded input {Input.Height + 2 * Padding}x{Input.Width + 2 * Padding}.", "options");
    }
}
