using SbeCore.Eigen;
using SbeCore.Numerics;
using SbeCore.Tests.Kernels;

namespace SbeCore.Tests.Eigen;

/// <summary>Every width entry point of the estimator's fused loops against double references: lengths 0..300 (every
/// remainder) plus lengths past one 64-vector accumulation block, and 0 bytes allocated per call.</summary>
public class EstimatorKernelWidthTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    private static void ScaleAddDotNorm(Width width, float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, out double dot, out double sumSq)
    {
        switch (width)
        {
            case Width.V512: EstimatorKernels.ScaleAddDotNorm512(alpha, beta, u, v, w, out dot, out sumSq); break;
            case Width.V256: EstimatorKernels.ScaleAddDotNorm256(alpha, beta, u, v, w, out dot, out sumSq); break;
            case Width.V128: EstimatorKernels.ScaleAddDotNorm128(alpha, beta, u, v, w, out dot, out sumSq); break;
            default: EstimatorKernels.ScaleAddDotNormScalar(alpha, beta, u, v, w, out dot, out sumSq); break;
        }
    }

    private static double SumSquares(Width width, ReadOnlySpan<float> x) => width switch
    {
        Width.V512 => EstimatorKernels.SumSquares512(x),
        Width.V256 => EstimatorKernels.SumSquares256(x),
        Width.V128 => EstimatorKernels.SumSquares128(x),
        _ => EstimatorKernels.SumSquaresScalar(x),
    };

    /// <summary>The accelerated widths, widest first, scalar last.</summary>
    private static Width[] AcceleratedWidths() => Enum.GetValues<Width>().Where(Paths.IsAccelerated).OrderByDescending(w => (int)w).ToArray();

    private static IEnumerable<int> Lengths()
    {
        for (int n = 0; n <= 300; n++) yield return n;
        foreach (int n in new[] { 1023, 1024, 1025, 2048 + 17, 4133 }) yield return n; // past 64 vectors of 16 lanes
    }

    [Theory, MemberData(nameof(Widths))]
    public void ScaleAddDotNormMatchesDoubleReferenceAndWritesOnlyW(Width width)
    {
        var rng = new Xoshiro256(21);
        foreach (int n in Lengths())
        {
            float[] u = Reference.RandomVector(ref rng, n, 2f), v = Reference.RandomVector(ref rng, n);
            float alpha = 0.5f + rng.NextSingle(), beta = 2f * rng.NextSingle() - 1f;
            float[] w = Reference.Guarded(n);
            ScaleAddDotNorm(width, alpha, beta, u, v, w.AsSpan(0, n), out double dot, out double sumSq);
            double rd = 0, ad = 0, rs = 0;
            for (int i = 0; i < n; i++)
            {
                double av = (double)alpha * v[i], bu = (double)beta * u[i];
                // One FMA after a rounded product (or, where the hardware has no FMA, two roundings more).
                Reference.AssertClose(av + bu, w[i], 2.01 * Reference.U * (Math.Abs(av) + Math.Abs(bu)) + 1e-30, $"{width} w n={n} i={i}");
                double p = (double)u[i] * w[i];
                rd += p; ad += Math.Abs(p); rs += (double)w[i] * w[i];
            }
            Reference.AssertClose(rd, dot, Reference.SumBound(n, ad), $"{width} u.w n={n}");
            Reference.AssertClose(rs, sumSq, Reference.SumBound(n, rs), $"{width} |w|^2 n={n}");
            Reference.AssertUntouched(w, n, $"{width} ScaleAddDotNorm n={n}");

            // In place (w is v) gives the same bits.
            float[] vInPlace = (float[])v.Clone();
            ScaleAddDotNorm(width, alpha, beta, u, vInPlace, vInPlace, out double dot2, out double sumSq2);
            Assert.Equal(w.AsSpan(0, n).ToArray(), vInPlace);
            Assert.Equal(dot, dot2);
            Assert.Equal(sumSq, sumSq2);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void SumSquaresMatchesDoubleReference(Width width)
    {
        var rng = new Xoshiro256(22);
        foreach (int n in Lengths())
        {
            float[] x = Reference.RandomVector(ref rng, n, 1 + n % 7);
            double s = 0;
            foreach (float e in x) s += (double)e * e;
            Reference.AssertClose(s, SumSquares(width, x), Reference.SumBound(n, s), $"{width} SumSquares n={n}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ANonFiniteInputShowsInTheSumOfSquares(Width width)
    {
        for (int n = 1; n <= 40; n++)
            for (int at = 0; at < n; at += 3)
            {
                var u = new float[n]; var w = new float[n];
                Array.Fill(u, 0.5f);
                u[at] = float.NaN;
                ScaleAddDotNorm(width, 1f, 1f, u, new float[n], w, out _, out double sumSq);
                Assert.True(double.IsNaN(sumSq), $"{width} n={n} at={at}");
                Assert.True(double.IsNaN(SumSquares(width, u)), $"{width} SumSquares n={n} at={at}");
            }
    }

    [Fact]
    public void PublicMethodsEqualTheWidthTheyDispatchTo()
    {
        // The public method takes the widest accelerated width whose vector fits; a shorter vector falls to a narrower one.
        var rng = new Xoshiro256(23);
        foreach (int n in new[] { 0, 3, 4, 7, 8, 15, 16, 33, 101, 785 })
        {
            float[] u = Reference.RandomVector(ref rng, n), v = Reference.RandomVector(ref rng, n);
            Width width = AcceleratedWidths().First(w => w == Width.Scalar || n >= (int)w / 32);
            float[] wPublic = new float[n], wPath = new float[n];
            EstimatorKernels.ScaleAddDotNorm(0.7f, -0.2f, u, v, wPublic, out double d1, out double s1);
            ScaleAddDotNorm(width, 0.7f, -0.2f, u, v, wPath, out double d2, out double s2);
            Assert.Equal(wPath, wPublic);
            Assert.Equal(d2, d1);
            Assert.Equal(s2, s1);
            Assert.Equal(SumSquares(width, u), EstimatorKernels.SumSquares(u));
        }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var rng = new Xoshiro256(24);
        float[] u = Reference.RandomVector(ref rng, 785), v = Reference.RandomVector(ref rng, 785), w = new float[785];
        Width[] widths = AcceleratedWidths().ToArray();
        double sink = 0;
        void CallAll()
        {
            foreach (Width width in widths)
            {
                ScaleAddDotNorm(width, 0.9f, 0.1f, u, v, w, out double d, out double s);
                sink += d + s + SumSquares(width, w);
            }
            EstimatorKernels.ScaleAddDotNorm(0.9f, 0.1f, u, v, w, out double d2, out double s2);
            sink += d2 + s2 + EstimatorKernels.SumSquares(w);
        }
        for (int i = 0; i < 50; i++) CallAll();
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 100; i++) CallAll(); });
        Assert.True(double.IsFinite(sink));
    }
}
