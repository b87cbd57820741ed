using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

public class GerTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    [Theory, MemberData(nameof(Widths))]
    public void GerMatchesDoubleReferenceAndLeavesStrideGapsAlone(Width width)
    {
        var rng = new Xoshiro256(31);
        foreach (var (rows, cols, stride) in Reference.Shapes())
        {
            float alpha = 2f * rng.NextSingle() - 1f;
            float[] w0 = Reference.RandomMatrix(ref rng, rows, cols, stride);
            float[] u = Reference.RandomVector(ref rng, rows), v = Reference.RandomVector(ref rng, cols);
            float[] w = (float[])w0.Clone();
            Paths.Ger(width, alpha, u, v, w, rows, cols, stride);
            for (int i = 0; i < w.Length; i++)
            {
                int r = i / Math.Max(stride, 1), c = i - r * stride;
                if (r < rows && c < cols)
                {
                    double term = (double)alpha * u[r] * v[c];
                    Reference.AssertClose(w0[i] + term, w[i], 3 * Reference.U * (Math.Abs(w0[i]) + Math.Abs(term)) + 1e-30, $"{width} Ger {rows}x{cols}/{stride} ({r},{c})");
                }
                else Assert.True(Reference.SameBits(w0[i], w[i]), $"{width} Ger {rows}x{cols}/{stride}: gap cell {i} written.");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void RankKMatchesDoubleReferenceForK0To9(Width width)
    {
        var rng = new Xoshiro256(32);
        int shape = 0;
        foreach (var (rows, cols, stride) in Reference.Shapes())
        {
            int k = shape++ % 10;
            float[] w0 = Reference.RandomMatrix(ref rng, rows, cols, stride);
            float[] u = Reference.RandomVector(ref rng, k * rows), v = Reference.RandomVector(ref rng, k * cols), s = Reference.RandomVector(ref rng, k, 2f);
            float[] w = (float[])w0.Clone();
            Paths.RankK(width, u, s, v, w, rows, cols, stride);
            for (int i = 0; i < w.Length; i++)
            {
                int r = i / Math.Max(stride, 1), c = i - r * stride;
                if (r < rows && c < cols)
                {
                    double e = w0[i], a = Math.Abs(w0[i]);
                    for (int t = 0; t < k; t++) { double term = (double)s[t] * u[t * rows + r] * v[t * cols + c]; e += term; a += Math.Abs(term); }
                    Reference.AssertClose(e, w[i], 3 * (k + 1) * Reference.U * a + 1e-30, $"{width} RankK k={k} {rows}x{cols}/{stride} ({r},{c})");
                }
                else Assert.True(Reference.SameBits(w0[i], w[i]), $"{width} RankK {rows}x{cols}/{stride}: gap cell {i} written.");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void RankKIsBitIdenticalToKGerCalls(Width width)
    {
        var rng = new Xoshiro256(33);
        foreach (var (rows, cols, stride) in new[] { (7, 37, 40), (100, 785, 785), (5, 300, 301), (3, 5, 5) })
            for (int k = 1; k <= 6; k++)
            {
                float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
                float[] u = Reference.RandomVector(ref rng, k * rows), v = Reference.RandomVector(ref rng, k * cols), s = Reference.RandomVector(ref rng, k);
                float[] fused = (float[])w.Clone(), steps = (float[])w.Clone();
                Paths.RankK(width, u, s, v, fused, rows, cols, stride);
                for (int t = 0; t < k; t++) Paths.Ger(width, s[t], u.AsSpan(t * rows, rows), v.AsSpan(t * cols, cols), steps, rows, cols, stride);
                for (int i = 0; i < w.Length; i++) Assert.True(Reference.SameBits(fused[i], steps[i]), $"{width} k={k} {rows}x{cols}: cell {i} {fused[i]} vs {steps[i]}");
            }
    }
}
