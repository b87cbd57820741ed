namespace SbeCore.Training.Layers;

/// <summary>The hidden activation (ReLU or sigmoid) element-wise; backward multiplies by its derivative at the output,
/// exactly as the MLP does.</summary>
public sealed class ActivationLayer(Activation kind, TensorShape shape) : ILayer
{
    /// <summary>The function applied.</summary>
    public Activation Kind { get; } = kind;
    /// <inheritdoc />
    public string Name => Kind.ToString().ToLowerInvariant();
    /// <inheritdoc />
    public TensorShape Input { get; } = shape;
    /// <inheritdoc />
    public TensorShape Output => Input;
    /// <inheritdoc />
    public void EnsureCapacity(int n) { }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int count = n * Input.Size;
        Activations.Apply(Kind, input[..count], output[..count]);
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput)
    {
        if (gradInput.IsEmpty) return;
        int count = n * Input.Size;
        Activations.MultiplyByDerivative(Kind, gradOutput[..count], output[..count], gradInput[..count]);
    }
}
