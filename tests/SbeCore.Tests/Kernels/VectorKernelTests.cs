using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

public class VectorKernelTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    [Theory, MemberData(nameof(Widths))]
    public void DotMatchesDoubleReferenceForEveryLength0To300(Width width)
    {
        var rng = new Xoshiro256(11);
        for (int n = 0; n <= 300; n++)
        {
            float[] x = Reference.RandomVector(ref rng, n, 1 + n % 5), y = Reference.RandomVector(ref rng, n);
            double s = 0, a = 0;
            for (int i = 0; i < n; i++) { double p = (double)x[i] * y[i]; s += p; a += Math.Abs(p); }
            Reference.AssertClose(s, Paths.Dot(width, x, y), Reference.SumBound(n, a), $"{width} Dot n={n}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void DotCountsEachLaneOfTheOverlappingTailVectorOnce(Width width)
    {
        // Lengths whose tail vector overlaps the main loop: a large value in an overlapped lane must count once.
        for (int n = 17; n <= 40; n++)
        {
            var x = new float[n]; var y = new float[n];
            Array.Fill(x, 1f); Array.Fill(y, 1f);
            x[n - 2] = 1e6f; x[0] = 3f;
            Assert.Equal(1e6f + 3f + (n - 2), Paths.Dot(width, x, y));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void AxpyMatchesDoubleReferenceAndWritesOnlyY(Width width)
    {
        var rng = new Xoshiro256(12);
        for (int n = 0; n <= 300; n++)
        {
            float a = 2f * rng.NextSingle() - 1f;
            float[] x = Reference.RandomVector(ref rng, n), y0 = Reference.RandomVector(ref rng, n, 3f);
            float[] y = Reference.Guarded(n);
            y0.CopyTo(y, 0);
            Paths.Axpy(width, a, x, y.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                double e = y0[i] + (double)a * x[i];
                Reference.AssertClose(e, y[i], 2 * Reference.U * (Math.Abs(y0[i]) + Math.Abs((double)a * x[i])) + 1e-30, $"{width} Axpy n={n} i={i}");
            }
            Reference.AssertUntouched(y, n, $"{width} Axpy n={n}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void AxpyWithYAliasingXDoublesEachElementOnce(Width width)
    {
        for (int n = 0; n <= 70; n++)
        {
            var y = new float[n];
            for (int i = 0; i < n; i++) y[i] = i + 1;
            Paths.Axpy(width, 1f, y, y);
            for (int i = 0; i < n; i++) Assert.Equal(2f * (i + 1), y[i]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ScaleMatchesDoubleReferenceAndScalesEachElementOnce(Width width)
    {
        var rng = new Xoshiro256(13);
        for (int n = 0; n <= 300; n++)
        {
            float a = 4f * rng.NextSingle() - 2f;
            float[] x0 = Reference.RandomVector(ref rng, n);
            float[] x = Reference.Guarded(n);
            x0.CopyTo(x, 0);
            Paths.Scale(width, a, x.AsSpan(0, n));
            for (int i = 0; i < n; i++) Reference.AssertClose((double)a * x0[i], x[i], Reference.U * Math.Abs((double)a * x0[i]) + 1e-30, $"{width} Scale n={n} i={i}");
            Reference.AssertUntouched(x, n, $"{width} Scale n={n}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Nrm2MatchesDoubleReferenceAndDoesNotOverflow(Width width)
    {
        var rng = new Xoshiro256(14);
        for (int n = 0; n <= 300; n++)
        {
            float[] x = Reference.RandomVector(ref rng, n, n % 2 == 0 ? 1f : 3e30f);
            double s = 0;
            foreach (float v in x) s += (double)v * v;
            double e = Math.Sqrt(s);
            Reference.AssertClose(e, Paths.Nrm2(width, x), 1e-13 * e + 1e-300, $"{width} Nrm2 n={n}");
        }
    }
}
