using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>Double-precision references, test data and error bounds for the kernel tests.</summary>
internal static class Reference
{
    /// <summary>Unit roundoff of float32 (half an ulp of 1).</summary>
    public const double U = 1.0 / (1 << 24);

    /// <summary>A NaN with a recognisable payload: marks stride gaps and guard cells a kernel must neither read nor write.</summary>
    public static readonly float Sentinel = BitConverter.Int32BitsToSingle(0x7FC0_5BE0);

    /// <summary>Rounding bound for a float sum of <paramref name="terms"/> products in any order (with or without FMA):
    /// |error| &lt;= (terms + 1) u sum|products|, padded slightly; a wrong or missing term is orders of magnitude larger.</summary>
    public static double SumBound(int terms, double sumAbs) => 1.01 * (terms + 1) * U * sumAbs + 1e-30;

    public static float[] RandomVector(ref Xoshiro256 rng, int length, float scale = 1f)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (2f * rng.NextSingle() - 1f) * scale;
        return v;
    }

    /// <summary>A rows x cols matrix with row stride, plus <paramref name="pad"/> trailing elements; gaps and pad hold <see cref="Sentinel"/>.</summary>
    public static float[] RandomMatrix(ref Xoshiro256 rng, int rows, int cols, int stride, int pad = 3)
    {
        int span = rows == 0 || cols == 0 ? 0 : (rows - 1) * stride + cols;
        var m = new float[span + pad];
        Array.Fill(m, Sentinel);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r * stride + c] = 2f * rng.NextSingle() - 1f;
        return m;
    }

    /// <summary>An output buffer of <paramref name="used"/> cells plus guard cells, all <see cref="Sentinel"/>.</summary>
    public static float[] Guarded(int used, int guard = 5)
    {
        var y = new float[used + guard];
        Array.Fill(y, Sentinel);
        return y;
    }

    /// <summary>Asserts z[c] is, bit for bit, the chain over the rows that GemvT and the transposed batched read promise:
    /// fma(d_r, w_rc, .) for r = 0, 1, ... from +0 (a multiply and an add where the path has no fused multiply-add).</summary>
    public static void AssertChainOverRows(Width width, float[] w, int rows, int cols, int stride, ReadOnlySpan<float> d, ReadOnlySpan<float> z, string what)
    {
        bool fused = width != Width.Scalar && cols >= (int)width / 32 && (System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported);
        var chain = new float[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                chain[c] = fused ? MathF.FusedMultiplyAdd(d[r], w[r * stride + c], chain[c]) : chain[c] + d[r] * w[r * stride + c];
        for (int c = 0; c < cols; c++)
            if (!SameBits(chain[c], z[c])) Assert.Fail($"{width} {what} {rows}x{cols}/{stride} col {c}: {z[c]:R}, expected {chain[c]:R}");
    }

    public static bool SameBits(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    public static void AssertUntouched(float[] buffer, int from, string what)
    {
        for (int i = from; i < buffer.Length; i++)
            if (!SameBits(buffer[i], Sentinel)) Assert.Fail($"{what}: guard cell {i} was written ({buffer[i]}).");
    }

    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R}, |diff| {Math.Abs(actual - expected):E3} > tolerance {tolerance:E3}.");
    }

    /// <summary>Shapes (rows, cols, stride): cols 0..300 with rows 1..7 and strides past cols, then odd and large ones
    /// (cols past the batch read's column block, rows past the transposed read's row block).</summary>
    public static IEnumerable<(int Rows, int Cols, int Stride)> Shapes()
    {
        for (int cols = 0; cols <= 300; cols++) yield return (1 + cols % 7, cols, cols + cols % 3);
        yield return (0, 5, 5);
        yield return (6, 0, 2);
        yield return (10, 101, 101);
        yield return (13, 101, 128);
        yield return (100, 785, 785);
        yield return (9, 1100, 1100);
        yield return (6, 1031, 1037);
        yield return (9, 2050, 2053); // the batched read's blocks of cols: two whole, then 2 floats (a vector reaching back, masked)
        yield return (5, 3100, 3100); // three blocks, the last a partial one
        yield return (150, 40, 45);
        yield return (133, 67, 67);
        yield return (259, 17, 19);
    }

    public static double[] Gemv(float[] w, int rows, int cols, int stride, float[] x, out double[] bound)
    {
        var y = new double[rows];
        bound = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0, a = 0;
            for (int c = 0; c < cols; c++) { double p = (double)w[r * stride + c] * x[c]; s += p; a += Math.Abs(p); }
            y[r] = s;
            bound[r] = SumBound(cols, a);
        }
        return y;
    }

    public static double[] GemvT(float[] w, int rows, int cols, int stride, float[] d, out double[] bound)
    {
        var z = new double[cols];
        var a = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) { double p = (double)w[r * stride + c] * d[r]; z[c] += p; a[c] += Math.Abs(p); }
        bound = new double[cols];
        for (int c = 0; c < cols; c++) bound[c] = SumBound(rows, a[c]);
        return z;
    }
}
