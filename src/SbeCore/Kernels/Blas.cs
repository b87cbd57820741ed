using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

// Matrices are row-major with an explicit row stride (>= cols) so a tile may be a view of a larger matrix.
// Each public method checks every argument before writing anything, then dispatches once to SimdDispatch.Widest.
// Below one vector of that width a kernel runs its scalar loop rather than a narrower width: the BLAS kernels' own
// short-input rule, kept because their summation order (and FMA or not) fixes the bits of every training result of
// record. The width entry points (Dot512 ... DotScalar) live in the partial files.

/// <summary>float32 linear-algebra kernels over spans: allocation-free, argument-checked up front.</summary>
/// <remarks>
/// Inputs must have exactly the length the shape implies; destinations must be at least that long (elements
/// past it are untouched). A destination may not share memory with an input it is computed from (an
/// <see cref="ArgumentException"/> says which). Results differ between vector widths in the last bits
/// (summation order) but are reproducible on one machine and path.
/// </remarks>
public static partial class Blas
{
    /// <summary>
    /// True where vector code has 16 registers (x86 without AVX-512; AVX-512 hardware gives Vector256 code 32, as ARM64
    /// does): register tiles there are 4 x 3 instead of 4 x 4 so accumulators are not spilled. A JIT-time constant.
    /// </summary>
    private static bool FewVectorRegisters => !Vector512.IsHardwareAccelerated && !System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported;

    /// <summary>Bits of the vector path the kernels take on this machine: 512, 256, 128, or 0 for scalar.</summary>
    public static int VectorBits => (int)SimdDispatch.Hardware;

    /// <summary>Effectively computes sum_i x[i] * y[i].</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        BlasThrow.CheckExact(nameof(y), y.Length, x.Length, "the length of x");
        return SimdDispatch.Widest switch
        {
            SimdWidth.V512 => Dot512(x, y),
            SimdWidth.V256 => Dot256(x, y),
            SimdWidth.V128 => Dot128(x, y),
            _ => DotScalar(x, y),
        };
    }

    /// <summary>Effectively computes y[i] += a * x[i].</summary>
    /// <exception cref="ArgumentException">x and y differ in length, or overlap other than exactly.</exception>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        BlasThrow.CheckExact(nameof(y), y.Length, x.Length, "the length of x");
        // Exact aliasing (y += a y) is elementwise and safe; a shifted overlap would read updated values.
        if (x.Overlaps(y, out int offset) && offset != 0) BlasThrow.Overlap(nameof(y), nameof(x));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: Axpy512(a, x, y); break;
            case SimdWidth.V256: Axpy256(a, x, y); break;
            case SimdWidth.V128: Axpy128(a, x, y); break;
            default: AxpyScalar(a, x, y); break;
        }
    }

    /// <summary>Effectively computes x[i] *= a.</summary>
    public static void Scale(float a, Span<float> x)
    {
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: Scale512(a, x); break;
            case SimdWidth.V256: Scale256(a, x); break;
            case SimdWidth.V128: Scale128(a, x); break;
            default: ScaleScalar(a, x); break;
        }
    }

    /// <summary>Euclidean norm, accumulated in double.</summary>
    public static double Nrm2(ReadOnlySpan<float> x)
    {
        return SimdDispatch.Widest switch
        {
            SimdWidth.V512 => Nrm2_512(x),
            SimdWidth.V256 => Nrm2_256(x),
            SimdWidth.V128 => Nrm2_128(x),
            _ => Nrm2Scalar(x),
        };
    }

    /// <summary>y = W x, W rows x cols row-major with row stride.</summary>
    /// <remarks>Effectively computes y[r] = sum_c w[r * stride + c] * x[c] for r &lt; rows. x has cols elements, y at least rows;
    /// w at least (rows-1)*stride+cols.</remarks>
    /// <exception cref="ArgumentException">A negative size, stride &lt; cols, a length that does not fit the shape, or y overlapping w or x.</exception>
    public static void Gemv(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y)
    {
        int span = BlasThrow.CheckMatrix(nameof(w), w.Length, rows, cols, stride);
        BlasThrow.CheckExact(nameof(x), x.Length, cols, "cols");
        BlasThrow.CheckAtLeast(nameof(y), y.Length, rows, "rows");
        BlasThrow.CheckNoOverlap(y.Slice(0, rows), nameof(y), w.Slice(0, span), nameof(w));
        BlasThrow.CheckNoOverlap(y.Slice(0, rows), nameof(y), x, nameof(x));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: Gemv512(w, rows, cols, stride, x, y); break;
            case SimdWidth.V256: Gemv256(w, rows, cols, stride, x, y); break;
            case SimdWidth.V128: Gemv128(w, rows, cols, stride, x, y); break;
            default: GemvScalar(w, rows, cols, stride, x, y); break;
        }
    }

    /// <summary>z = W^T d.</summary>
    /// <remarks>Effectively computes z[c] = sum_r w[r * stride + c] * d[r] for c &lt; cols. d has rows elements, z at least cols.</remarks>
    /// <exception cref="ArgumentException">A negative size, stride &lt; cols, a length that does not fit the shape, or z overlapping w or d.</exception>
    public static void GemvT(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z)
    {
        int span = BlasThrow.CheckMatrix(nameof(w), w.Length, rows, cols, stride);
        BlasThrow.CheckExact(nameof(d), d.Length, rows, "rows");
        BlasThrow.CheckAtLeast(nameof(z), z.Length, cols, "cols");
        BlasThrow.CheckNoOverlap(z.Slice(0, cols), nameof(z), w.Slice(0, span), nameof(w));
        BlasThrow.CheckNoOverlap(z.Slice(0, cols), nameof(z), d, nameof(d));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: GemvT512(w, rows, cols, stride, d, z); break;
            case SimdWidth.V256: GemvT256(w, rows, cols, stride, d, z); break;
            case SimdWidth.V128: GemvT128(w, rows, cols, stride, d, z); break;
            default: GemvTScalar(w, rows, cols, stride, d, z); break;
        }
    }

    /// <summary>W += alpha u v^T (u length rows, v length cols).</summary>
    /// <remarks>Effectively computes w[r * stride + c] += (alpha * u[r]) * v[c]; elements between rows (stride padding) are untouched.</remarks>
    /// <exception cref="ArgumentException">A negative size, stride &lt; cols, a length that does not fit the shape, or w overlapping u or v.</exception>
    public static void Ger(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    {
        int span = BlasThrow.CheckMatrix(nameof(w), w.Length, rows, cols, stride);
        BlasThrow.CheckExact(nameof(u), u.Length, rows, "rows");
        BlasThrow.CheckExact(nameof(v), v.Length, cols, "cols");
        BlasThrow.CheckNoOverlap(w.Slice(0, span), nameof(w), u, nameof(u));
        BlasThrow.CheckNoOverlap(w.Slice(0, span), nameof(w), v, nameof(v));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: Ger512(alpha, u, v, w, rows, cols, stride); break;
            case SimdWidth.V256: Ger256(alpha, u, v, w, rows, cols, stride); break;
            case SimdWidth.V128: Ger128(alpha, u, v, w, rows, cols, stride); break;
            default: GerScalar(alpha, u, v, w, rows, cols, stride); break;
        }
    }

    /// <summary>W += U diag(s) V^T: u is k x rows, v is k x cols (each term a row), s has k entries; one pass over W.</summary>
    /// <remarks>Bit-for-bit the same as k successive <see cref="Ger"/> calls on the same path: each element gets
    /// (s[t] * u[t * rows + r]) * v[t * cols + c] added in order t = 0, 1, ...</remarks>
    /// <exception cref="ArgumentException">A negative size, stride &lt; cols, u or v not k x rows / k x cols, or w overlapping u, s or v.</exception>
    public static void RankK(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    {
        CheckRankK(u, s, v, w, rows, cols, stride);
        RankKRowBlock(u, s, v, w, rows, cols, stride, 0, rows);
    }

    /// <summary>Batched forward read: Y (n x rows) = X (n x cols) W^T.</summary>
    /// <remarks>Effectively computes y[j * rows + r] = sum_c w[r * stride + c] * x[j * cols + c]: n Gemv calls, blocked
    /// for registers and cache. x has n*cols elements, y at least n*rows.</remarks>
    /// <exception cref="ArgumentException">A negative size, stride &lt; cols, a length that does not fit the shape, or y overlapping w or x.</exception>
    public static void BatchRead(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y)
    {
        CheckBatchRead(w, rows, cols, stride, x, n, y);
        BatchReadRowBlock(w, rows, cols, stride, x, n, y, 0, rows);
    }

    /// <summary>Batched backward read: Z (n x cols) = D (n x rows) W.</summary>
    /// <remarks>Effectively computes z[j * cols + c] = sum_r d[j * rows + r] * w[r * stride + c]: n GemvT calls, blocked
    /// for registers and cache. d has n*rows elements, z at least n*cols.</remarks>
    /// <exception cref="ArgumentException">A negative size, stride &lt; cols, a length that does not fit the shape, or z overlapping w or d.</exception>
    public static void BatchReadTransposed(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z)
    {
        CheckBatchReadTransposed(w, rows, cols, stride, d, n, z);
        BatchReadTransposedColumnBlock(w, rows, cols, stride, d, n, z, 0, cols);
    }

    internal static void CheckBatchRead(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y)
        => CheckBatched(w, rows, cols, stride, x, nameof(x), cols, n, y, nameof(y), rows, "n x cols", "n x rows");

    internal static void CheckBatchReadTransposed(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z)
        => CheckBatched(w, rows, cols, stride, d, nameof(d), rows, n, z, nameof(z), cols, "n x rows", "n x cols");

    // A batched read's checks: n inputs of inLen, n outputs of outLen, outputs not overlapping W or the inputs.
    private static void CheckBatched(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> input, string inputName, int inLen,
                                     int n, Span<float> output, string outputName, int outLen, string inputShape, string outputShape)
    {
        int span = BlasThrow.CheckMatrix(nameof(w), w.Length, rows, cols, stride);
        BlasThrow.CheckCount(nameof(n), n);
        BlasThrow.CheckExact(inputName, input.Length, (long)n * inLen, inputShape);
        BlasThrow.CheckAtLeast(outputName, output.Length, (long)n * outLen, outputShape);
        Span<float> used = output.Slice(0, n * outLen);
        BlasThrow.CheckNoOverlap(used, outputName, w.Slice(0, span), nameof(w));
        BlasThrow.CheckNoOverlap(used, outputName, input, inputName);
    }

    internal static void CheckRankK(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    {
        int span = BlasThrow.CheckMatrix(nameof(w), w.Length, rows, cols, stride);
        int k = s.Length;
        BlasThrow.CheckExact(nameof(u), u.Length, (long)k * Math.Max(rows, 0), "k x rows");
        BlasThrow.CheckExact(nameof(v), v.Length, (long)k * Math.Max(cols, 0), "k x cols");
        BlasThrow.CheckNoOverlap(w.Slice(0, span), nameof(w), u, nameof(u));
        BlasThrow.CheckNoOverlap(w.Slice(0, span), nameof(w), s, nameof(s));
        BlasThrow.CheckNoOverlap(w.Slice(0, span), nameof(w), v, nameof(v));
    }
}
