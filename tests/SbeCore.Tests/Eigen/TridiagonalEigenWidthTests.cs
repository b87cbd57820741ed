using SbeCore.Eigen;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Tests.Kernels;

namespace SbeCore.Tests.Eigen;

/// <summary>The eigen-solve at every width (its row loops capped at 256 bits, its dot/axpy at the forced width):
/// eigenpairs that satisfy A v = λ v to rounding, at sizes that run the vector loops and their scalar tails.</summary>
public class TridiagonalEigenWidthTests
{
    public static TheoryData<Width> Widths()
    {
        var data = new TheoryData<Width>();
        foreach (SimdWidth w in SimdDispatch.Available) data.Add((Width)(int)w);
        return data;
    }

    private static (double[] Values, double[] Vectors) Solve(SimdWidth width, double[] a, int r, int k)
    {
        var values = new double[k];
        var vectors = new double[k * r];
        using (SimdDispatch.Force(width)) new TridiagonalEigen().TopK(a, r, k, values, vectors);
        return (values, vectors);
    }

    private static double[] RandomSymmetric(int r, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var a = new double[r * r];
        for (int i = 0; i < r; i++)
            for (int j = 0; j <= i; j++) a[i * r + j] = a[j * r + i] = 2 * rng.NextDouble() - 1;
        return a;
    }

    [Theory, MemberData(nameof(Widths))]
    public void EigenpairsHoldAtEveryWidth(Width w)
    {
        var width = (SimdWidth)(int)w;
        foreach (int r in new[] { 2, 3, 5, 8, 17, 40 })
        {
            double[] a = RandomSymmetric(r, (ulong)r);
            int k = Math.Min(3, r);
            var (values, vectors) = Solve(width, a, r, k);
            for (int c = 0; c < k; c++)
            {
                double residual = 0;
                for (int i = 0; i < r; i++)
                {
                    double av = 0;
                    for (int j = 0; j < r; j++) av += a[i * r + j] * vectors[c * r + j];
                    residual = Math.Max(residual, Math.Abs(av - values[c] * vectors[c * r + i]));
                }
                Assert.True(residual < 1e-12 * r, $"{width} r {r} pair {c}: residual {residual}");
            }
        }
    }
}
