using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

/// <summary>The estimator's own fused loops against double references, every length 0..300 (all remainders).</summary>
public class EstimatorKernelTests
{
    [Fact]
    public void ScaleAddDotNormMatchesReferenceForEveryLength()
    {
        var rng = new Xoshiro256(1);
        for (int n = 0; n <= 300; n++)
        {
            var u = new float[n]; var v = new float[n]; var w = new float[n];
            rng.FillGaussian(u); rng.FillGaussian(v);
            float alpha = 0.9f, beta = -0.3f;
            EstimatorKernels.ScaleAddDotNorm(alpha, beta, u, v, w, out double dot, out double ss);
            double rd = 0, rs = 0;
            for (int i = 0; i < n; i++)
            {
                double e = (double)alpha * v[i] + (double)beta * u[i];
                Assert.Equal(e, w[i], 1e-5);
                rd += u[i] * e; rs += e * e;
            }
            Assert.Equal(rd, dot, 1e-5 * (1 + n));
            Assert.Equal(rs, ss, 1e-5 * (1 + rs));
            Assert.Equal(rs, EstimatorKernels.SumSquares(w), 1e-5 * (1 + rs));
            EstimatorKernels.ScaleAddDotNorm(alpha, beta, u, v, out double dot2, out double ss2); // in place
            Assert.Equal(w, v);
            Assert.Equal(dot, dot2); Assert.Equal(ss, ss2);
        }
    }

    [Fact]
    public void AllFiniteFindsEveryBadElement()
    {
        for (int n = 0; n <= 70; n++)
        {
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = i - 3.5f;
            Assert.True(EstimatorKernels.AllFinite(v));
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                for (int at = 0; at < n; at++)
                {
                    float keep = v[at]; v[at] = bad;
                    Assert.False(EstimatorKernels.AllFinite(v), $"n={n} at={at} {bad}");
                    v[at] = keep;
                }
            if (n > 0) { v[n - 1] = float.MaxValue; Assert.True(EstimatorKernels.AllFinite(v)); }
        }
    }
}
