namespace SbeCore.Training.Layers;

/// <summary>The shape of one sample between layers: channels x height x width, stored channel-major (NCHW, as PyTorch
/// flattens it). A dense layer's vector is C x 1 x 1.</summary>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>Floats per sample.</summary>
    public int Size => checked(Channels * Height * Width);

    /// <summary>A flat vector of <paramref name="size"/> floats.</summary>
    public static TensorShape Vector(int size) => new(size, 1, 1);

    /// <inheritdoc />
    public override string ToString() => Height == 1 && Width == 1 ? $"{Channels}" : $"{Channels}x{Height}x{Width}";
}
