using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

internal static class TestData
{
    public static (float[] deltas, float[] xs) Gaussian(int n, int rows, int cols, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var deltas = new float[n * rows]; var xs = new float[n * cols];
        rng.FillGaussian(deltas); rng.FillGaussian(xs);
        return (deltas, xs);
    }

    /// <summary>The power of two the Gaussian start is scaled by at the first sample with nonzero delta and x:
    /// 2^(ilogb max|delta| + ilogb max|x|), so the start is N(0, I) in units of the data.</summary>
    public static double StartScale(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        float md = 0, mx = 0;
        foreach (float v in delta) md = MathF.Max(md, MathF.Abs(v));
        foreach (float v in x) mx = MathF.Max(mx, MathF.Abs(v));
        return Math.ScaleB(1.0, MathF.ILogB(md) + MathF.ILogB(mx));
    }

    public static (float[] s, float[] d, float[] x) Outputs(int k, int rows, int cols) => (new float[k], new float[k * rows], new float[k * cols]);
}
