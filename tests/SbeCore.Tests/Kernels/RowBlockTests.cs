using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>The row blocks and column strips of the matrix kernels: every combination of Gemv's 8/4/2/1 row groups,
/// GemvT's register strips (rows up to 32) and row groups (above), RankK's 4/2/1 row blocks with term groups of 4 and
/// 1-3, with odd row counts and strides past cols.</summary>
public class RowBlockTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    private static readonly int[] StripCols = [16, 17, 31, 33, 47, 48, 49, 63, 64, 65, 80, 96, 101, 128, 129, 200, 256, 257, 300];

    [Theory, MemberData(nameof(Widths))]
    public void GemvRowGroupsOf8421MatchReference(Width width)
    {
        var rng = new Xoshiro256(41);
        // Strides of a multiple of 1024 floats (4 KiB) keep groups of 4 on the 512-bit path: cover both choices.
        var shapes = new List<(int Rows, int Cols, int Stride)>();
        foreach (int cols in new[] { 16, 37, 101, 128, 300 })
            for (int rows = 0; rows <= 20; rows++) shapes.Add((rows, cols, cols + rows % 3));
        foreach (int rows in new[] { 8, 11, 19 }) { shapes.Add((rows, 1024, 1024)); shapes.Add((rows, 1000, 2048)); shapes.Add((rows, 1025, 1025)); }
        GemvTests.AssertGemvMatchesReference(width, ref rng, shapes);
    }

    [Theory, MemberData(nameof(Widths))]
    public void GemvTStripsAndRowGroupsAddRowsInOrderBitForBit(Width width)
    {
        // Both GemvT paths compute z[c] as the chain over r = 0, 1, ... starting from +0: fused multiply-adds where
        // the vector path fuses (x86 FMA3, ARM64), else multiply then add (the scalar path always).
        var rng = new Xoshiro256(42);
        foreach (int cols in StripCols)
            foreach (int rows in new[] { 0, 1, 2, 3, 5, 8, 13, 31, 32, 33, 40 })
            {
                int stride = cols + rows % 4;
                float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
                float[] d = Reference.RandomVector(ref rng, rows);
                float[] z = Reference.Guarded(cols);
                Paths.GemvT(width, w, rows, cols, stride, d, z);
                bool fused = Fuses(width, cols);
                for (int c = 0; c < cols; c++)
                {
                    float acc = 0f;
                    for (int r = 0; r < rows; r++)
                        acc = fused ? MathF.FusedMultiplyAdd(d[r], w[r * stride + c], acc) : acc + d[r] * w[r * stride + c];
                    Assert.True(Reference.SameBits(acc, z[c]), $"{width} GemvT {rows}x{cols}/{stride} col {c}: {z[c]:R}, in-order chain {acc:R}");
                }
                Reference.AssertUntouched(z, cols, $"{width} GemvT {rows}x{cols}/{stride}");
            }
    }

    [Theory, MemberData(nameof(Widths))]
    public void RankKRowBlocksAndTermGroupsMatchReferenceAndKGerCalls(Width width)
    {
        var rng = new Xoshiro256(43);
        foreach (int cols in new[] { 16, 33, 101 })
            for (int rows = 0; rows <= 13; rows++)
                for (int k = 0; k <= 9; k++)
                {
                    int stride = cols + 1 + (rows + k) % 3;
                    float[] w0 = Reference.RandomMatrix(ref rng, rows, cols, stride);
                    float[] u = Reference.RandomVector(ref rng, k * rows), v = Reference.RandomVector(ref rng, k * cols), s = Reference.RandomVector(ref rng, k, 2f);
                    float[] fused = (float[])w0.Clone(), steps = (float[])w0.Clone();
                    Paths.RankK(width, u, s, v, fused, rows, cols, stride);
                    for (int t = 0; t < k; t++) Paths.Ger(width, s[t], u.AsSpan(t * rows, rows), v.AsSpan(t * cols, cols), steps, rows, cols, stride);
                    for (int i = 0; i < w0.Length; i++)
                    {
                        int r = i / stride, c = i - r * stride;
                        string at = $"{width} RankK k={k} {rows}x{cols}/{stride} cell {i}";
                        Assert.True(Reference.SameBits(fused[i], steps[i]), $"{at}: {fused[i]:R} vs {k} Ger calls {steps[i]:R}");
                        if (r < rows && c < cols)
                        {
                            double e = w0[i], a = Math.Abs(w0[i]);
                            for (int t = 0; t < k; t++) { double term = (double)s[t] * u[t * rows + r] * v[t * cols + c]; e += term; a += Math.Abs(term); }
                            Reference.AssertClose(e, fused[i], 3 * (k + 1) * Reference.U * a + 1e-30, at);
                        }
                        else Assert.True(Reference.SameBits(w0[i], fused[i]), $"{at}: gap or guard cell written.");
                    }
                }
    }

    [Theory, MemberData(nameof(Widths))]
    public void GerPast1MiBInRowBlocksEqualsThePerElementUpdateBitForBit(Width width)
    {
        // 7 rows (a block of 4 on the 512-bit path, then a pair and a single row) x 150001 cols: 1.05 M elements,
        // past the size (256 K elements) where Ger switches to 4-row blocks. Each element is w + (alpha u[r]) v[c], one rounding
        // where the path fuses.
        var rng = new Xoshiro256(44);
        const int rows = 7, cols = 150_001, stride = 150_003;
        float alpha = 0.37f;
        float[] w0 = Reference.RandomMatrix(ref rng, rows, cols, stride);
        float[] u = Reference.RandomVector(ref rng, rows), v = Reference.RandomVector(ref rng, cols);
        float[] w = (float[])w0.Clone();
        Paths.Ger(width, alpha, u, v, w, rows, cols, stride);
        AssertPerElementGer(width, alpha, u, v, w0, w, rows, cols, stride);
    }

    public static TheoryData<Width, int, int, int> StreamedGerShapes()
    {
        var data = new TheoryData<Width, int, int, int>();
        foreach (Width width in new[] { Width.V512, Width.V256, Width.V128, Width.Scalar })
        {
            if (!Paths.IsAccelerated(width)) continue;
            data.Add(width, 17, 131_101, 131_105); // a partial last vector per row and a gap between rows
            data.Add(width, 16, 131_136, 131_136); // whole vectors, rows back to back: 2,098,176 elements
        }
        return data;
    }

    [Theory, MemberData(nameof(StreamedGerShapes))]
    public void GerPast8MiBRowByRowEqualsThePerElementUpdateBitForBit(Width width, int rows, int cols, int stride)
    {
        // Past KernelTuning.GerStreamElements (2^21) Ger streams one row at a time with 256-bit vectors on the wider paths.
        Assert.True((long)rows * cols > 1 << 21);
        var rng = new Xoshiro256(45);
        float alpha = -0.61f;
        float[] w0 = Reference.RandomMatrix(ref rng, rows, cols, stride);
        float[] u = Reference.RandomVector(ref rng, rows), v = Reference.RandomVector(ref rng, cols);
        float[] w = (float[])w0.Clone();
        Paths.Ger(width, alpha, u, v, w, rows, cols, stride);
        AssertPerElementGer(width, alpha, u, v, w0, w, rows, cols, stride);
    }

    // Each element is w + (alpha u[r]) v[c], one rounding where the path fuses; gaps and guard cells untouched.
    private static void AssertPerElementGer(Width width, float alpha, float[] u, float[] v, float[] w0, float[] w, int rows, int cols, int stride)
    {
        bool fused = Fuses(width, cols);
        for (int i = 0; i < w0.Length; i++)
        {
            int r = i / stride, c = i - r * stride;
            if (r < rows && c < cols)
            {
                float a = alpha * u[r];
                float e = fused ? MathF.FusedMultiplyAdd(a, v[c], w0[i]) : w0[i] + a * v[c];
                if (!Reference.SameBits(e, w[i])) Assert.Fail($"{width} Ger {rows}x{cols}/{stride} ({r},{c}): {w[i]:R}, expected {e:R}");
            }
            else if (!Reference.SameBits(w0[i], w[i])) Assert.Fail($"{width} Ger {rows}x{cols}/{stride}: gap or guard cell {i} written.");
        }
    }

    /// <summary>Whether the path computes a * b + c with one rounding: vector widths with at least one whole vector of
    /// cols on hardware with FMA (below one vector, and on the scalar width, the kernels take the scalar loop).</summary>
    private static bool Fuses(Width width, int cols) =>
        width != Width.Scalar && cols >= (int)width / 32 && (Fma.IsSupported || AdvSimd.Arm64.IsSupported);
}
