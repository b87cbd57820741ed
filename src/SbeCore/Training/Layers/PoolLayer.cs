using System.Runtime.CompilerServices;

namespace SbeCore.Training.Layers;

/// <summary>How a <see cref="PoolLayer"/> combines a window.</summary>
public enum PoolKind
{
    /// <summary>The window's largest value (the gradient goes to its first maximum).</summary>
    Max,
    /// <summary>The window's mean.</summary>
    Average,
}

/// <summary>
/// Non-overlapping k x k pooling with stride k per channel (PyTorch's MaxPool2d(k) / AvgPool2d(k): rows and columns
/// beyond the last whole window are dropped).
/// </summary>
public sealed class PoolLayer : ILayer
{
    private int[] _argMax = [];
    private int _capacity;

    /// <summary>A k x k pool over <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">k &lt; 1 or a window larger than the input.</exception>
    public PoolLayer(PoolKind kind, int size, TensorShape input)
    {
        Kind = kind; Size = size; Input = input;
        if (size < 1) throw new ArgumentException($"layer {Name}: pool size {size}; need at least 1.", "options");
        if (input.Height < size || input.Width < size)
            throw new ArgumentException($"layer {Name}: a {size}x{size} window is larger than its input {input}.", "options");
        Output = new TensorShape(input.Channels, input.Height / size, input.Width / size);
    }

    /// <summary>Max or average.</summary>
    public PoolKind Kind { get; }
    /// <summary>Window side and stride, k.</summary>
    public int Size { get; }
    /// <inheritdoc />
    public string Name => $"{(Kind == PoolKind.Max ? "maxpool" : "avgpool")}{Size}";
    /// <inheritdoc />
    public TensorShape Input { get; }
    /// <inheritdoc />
    public TensorShape Output { get; }

    /// <inheritdoc />
    public void EnsureCapacity(int n)
    {
        if (n <= _capacity) return;
        if (Kind == PoolKind.Max)
        {
            long count = (long)n * Output.Size;
            if (count > Array.MaxLength) throw new ArgumentException($"A batch of {n} samples needs {count} indices in layer {Name}, more than an array holds; use smaller batches.", "images");
            _argMax = new int[count];
        }
        _capacity = n;
    }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        if (Kind == PoolKind.Max) ForwardMax(input, n, output);
        else ForwardAverage(input, n, output);
    }

    // The first maximum in window order, chosen without a branch on the data: the compares of ReLU outputs (half of
    // them zero) are unpredictable, and a branch per element made this loop 3x slower (14 against 4.5 ns per 2x2
    // window on Zen 4); the JIT keeps ternaries with two assignments as branches, hence the masks.
    private void ForwardMax(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int k = Size, h = Input.Height, w = Input.Width, oh = Output.Height, ow = Output.Width, planes = n * Input.Channels;
        Span<int> argMax = _argMax;
        for (int pl = 0; pl < planes; pl++)
        {
            int inBase = pl * h * w, outBase = pl * oh * ow;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int first = inBase + oy * k * w + ox * k, best = first;
                    float bestValue = input[first];
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int at = first + ky * w + kx;
                            float v = input[at];
                            bool above = v > bestValue;
                            int mask = -Unsafe.As<bool, byte>(ref above); // all ones when above
                            best ^= (best ^ at) & mask;
                            bestValue = BitConverter.Int32BitsToSingle(
                                BitConverter.SingleToInt32Bits(bestValue) ^ ((BitConverter.SingleToInt32Bits(bestValue) ^ BitConverter.SingleToInt32Bits(v)) & mask));
                        }
                    int o = outBase + oy * ow + ox;
                    output[o] = bestValue;
                    argMax[o] = best;
                }
        }
    }

    private void ForwardAverage(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int k = Size, h = Input.Height, w = Input.Width, oh = Output.Height, ow = Output.Width, planes = n * Input.Channels;
        float inv = 1f / (k * k);
        for (int pl = 0; pl < planes; pl++)
        {
            int inBase = pl * h * w, outBase = pl * oh * ow;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int first = inBase + oy * k * w + ox * k;
                    float acc = 0f;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) acc += input[first + ky * w + kx];
                    output[outBase + oy * ow + ox] = acc * inv;
                }
        }
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput)
    {
        if (gradInput.IsEmpty) return;
        int count = n * Output.Size;
        gradInput[..(n * Input.Size)].Clear();
        if (Kind == PoolKind.Max)
        {
            for (int o = 0; o < count; o++) gradInput[_argMax[o]] += gradOutput[o];
            return;
        }
        int k = Size, h = Input.Height, w = Input.Width, oh = Output.Height, ow = Output.Width, planes = n * Input.Channels;
        float inv = 1f / (k * k);
        for (int pl = 0; pl < planes; pl++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    float g = gradOutput[pl * oh * ow + oy * ow + ox] * inv;
                    int first = pl * h * w + oy * k * w + ox * k;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) gradInput[first + ky * w + kx] += g;
                }
    }
}
