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
    private readonly float[] _columnBest, _columnRow; // one window row's column maxima and their rows (max pooling)
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
        _columnBest = new float[kind == PoolKind.Max ? Output.Height * Output.Width * size : 0]; // a plane's vertical maxima
        _columnRow = new float[_columnBest.Length];
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

    // The first maximum in window order (row-major): the window's rows are reduced down each column first, vectorized
    // (ColumnMax: per column the largest value and its first row), then each window takes the column with the largest
    // value, on a tie the smaller row, on a tie of both the first column. Choices are made without a branch on the data:
    // the compares of ReLU outputs (half of them zero) are unpredictable, and a branch per element made the old
    // element-by-element loop 3x slower on Zen 4; the JIT keeps ternaries with two assignments as branches, hence masks.
    private void ForwardMax(ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int k = Size, h = Input.Height, w = Input.Width, oh = Output.Height, ow = Output.Width, planes = n * Input.Channels;
        int used = ow * k;
        Span<int> argMax = _argMax;
        Span<float> best = _columnBest, row = _columnRow;
        for (int pl = 0; pl < planes; pl++)
        {
            int inBase = pl * h * w, outBase = pl * oh * ow;
            Kernels.ColumnMax.Down(input.Slice(inBase, ((oh - 1) * k + k - 1) * w + used), w, k, used, best, row, oh); // the plane's rows
            for (int oy = 0; oy < oh; oy++)
            {
                int top = inBase + oy * k * w, first = oy * used, o0 = outBase + oy * ow;
                int done = k == 2 ? Kernels.ColumnMax.PairsAcross(best.Slice(first, used), row.Slice(first, used), ow, top, w, output.Slice(o0, ow), argMax.Slice(o0, ow)) : 0;
                for (int ox = done; ox < ow; ox++)
                {
                    int column = ox * k;
                    float bestValue = best[first + column], bestRow = row[first + column];
                    for (int kx = 1; kx < k; kx++)
                    {
                        int c = ox * k + kx;
                        float v = best[first + c], r = row[first + c];
                        bool take = v > bestValue | (v == bestValue & r < bestRow);
                        int mask = -Unsafe.As<bool, byte>(ref take); // all ones when taken
                        column ^= (column ^ c) & mask;
                        bestValue = Choose(bestValue, v, mask);
                        bestRow = Choose(bestRow, r, mask);
                    }
                    int o = outBase + oy * ow + ox;
                    output[o] = bestValue;
                    argMax[o] = top + (int)bestRow * w + column;
                }
            }
        }
    }

    private static float Choose(float keep, float take, int mask) => BitConverter.Int32BitsToSingle(
        BitConverter.SingleToInt32Bits(keep) ^ ((BitConverter.SingleToInt32Bits(keep) ^ BitConverter.SingleToInt32Bits(take)) & mask));

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
