using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Crossbar;

public class RandomGeneratorTests
{
    [Fact]
    public void EveryWidthOfTheLaneGeneratorGivesTheSameBits()
    {
        ulong[] Run(SimdWidth width)
        {
            using var scope = SimdDispatch.Force(width);
            var lanes = new Xoshiro256Lanes(42);
            var all = new ulong[3 * 8 * 37];
            for (int round = 0; round < 3; round++) lanes.Fill(all.AsSpan(round * 8 * 37, 8 * 37));
            return all;
        }
        ulong[] scalar = Run(SimdWidth.Scalar);
        foreach (SimdWidth width in SimdDispatch.Available) Assert.Equal(scalar, Run(width));
    }

    [Fact]
    public void EveryWidthOfTheRandomStreamGivesTheSameUniformsAndVectorWidthsTheSameGaussians()
    {
        (float[] Uniform, float[] Gaussian) Run(SimdWidth width)
        {
            using var scope = SimdDispatch.Force(width);
            var stream = new RandomStream(11);
            var u = new float[3 * RandomStream.BufferLength + 5];
            var g = new float[3 * RandomStream.BufferLength + 5];
            for (int i = 0; i < u.Length; i++) u[i] = stream.NextUniform();
            for (int i = 0; i < g.Length; i++) g[i] = stream.NextGaussian();
            return (u, g);
        }
        var scalar = Run(SimdWidth.Scalar);
        float[]? vectorGaussian = null;
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            var (u, g) = Run(width);
            Assert.Equal(scalar.Uniform, u);
            if (width == SimdWidth.Scalar) continue;
            // The vector widths share one log/sincos algorithm, so their Gaussians agree bit for bit; the scalar path
            // (MathF) agrees to a few ulps.
            vectorGaussian ??= g;
            Assert.Equal(vectorGaussian, g);
            for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - scalar.Gaussian[i]) <= 1e-5f * Math.Max(1f, Math.Abs(g[i])), $"{width} draw {i}: {g[i]} vs scalar {scalar.Gaussian[i]}");
        }
    }

    [Fact]
    public void SinCosOfATurnIsWithinTwoUlpsOnTheWholeDrawGridAndTheSameOnEveryWidth()
    {
        // u runs over the 2^-24 grid the uniforms live on (every 5th point, and the quadrant edges).
        var us = new List<float>();
        for (int k = 0; k < 1 << 24; k += 5) us.Add(k / (float)(1 << 24));
        foreach (int edge in new[] { 0, 1 << 21, 1 << 22, 3 << 21, 1 << 23, 5 << 21, 3 << 22, 7 << 21, (1 << 24) - 1 })
            for (int d = -2; d <= 2; d++) if (edge + d >= 0 && edge + d < 1 << 24) us.Add((edge + d) / (float)(1 << 24));
        float[] u = us.ToArray(), sin = new float[u.Length], cos = new float[u.Length];
        int worst = 0;
        for (int i = 0; i < u.Length; i++)
        {
            (sin[i], cos[i]) = RandomKernels.SinCosTurn(u[i]);
            var (exactSin, exactCos) = SinCosTurnInDouble(u[i]);
            worst = Math.Max(worst, Math.Max(Ulps(sin[i], exactSin), Ulps(cos[i], exactCos)));
        }
        Assert.True(worst <= 2, $"worst error {worst} ulps");
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            // Box-Muller with the same u1 everywhere: the outputs are r cos and r sin for one radius r, which u[0] = 0
            // (cos 1, sin 0) reads off (a width's log may differ from MathF's in the last bit, its angle must not).
            float[] a = Enumerable.Repeat(MathF.Exp(-0.5f), u.Length).ToArray(), b = (float[])u.Clone();
            using (SimdDispatch.Force(width)) RandomKernels.BoxMuller(a, b);
            float rv = a[0];
            for (int i = 0; i < u.Length; i++)
            {
                Assert.True(a[i] == rv * cos[i] && b[i] == rv * sin[i], $"{width} u {u[i]}: ({a[i]}, {b[i]}) vs r ({cos[i]}, {sin[i]})");
            }
        }

        // sin and cos of 2 pi u in double, after the same exact reduction to [-pi/4, pi/4] (2 pi u itself is not exact in double)
        static (double, double) SinCosTurnInDouble(float u)
        {
            double t = 4.0 * u, q = Math.Round(t), x = (t - q) * (Math.PI / 2);
            (double s, double c) = (Math.Sin(x), Math.Cos(x));
            return ((int)q % 4) switch { 0 => (s, c), 1 => (c, -s), 2 => (-s, -c), _ => (-c, s) };
        }

        static int Ulps(float value, double exact)
        {
            float rounded = (float)exact;
            if (value == rounded) return 0;
            // distance in units of the last place of the exact value's float neighbourhood
            double ulp = Math.Max(MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded), float.Epsilon);
            return (int)Math.Ceiling(Math.Abs(value - exact) / ulp - 0.5);
        }
    }

    [Fact]
    public void AddGaussianTakesTheSameDrawsAsOneAtATime()
    {
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            using var scope = SimdDispatch.Force(width);
            var bulk = new RandomStream(5); var single = new RandomStream(5);
            var rng = new Xoshiro256(1);
            foreach (int n in new[] { 3, 700, 1, 1024, 2500, 17 })
            {
                var y = new float[n];
                for (int i = 0; i < n; i++) y[i] = (float)rng.NextDouble();
                var expected = (float[])y.Clone();
                for (int i = 0; i < n; i++) expected[i] += 0.3f * single.NextGaussian();
                bulk.AddGaussian(0.3f, y);
                Assert.Equal(expected, y);
            }
        }
    }

    [Fact]
    public void EachLaneIsTheReferenceXoshiroStream()
    {
        var lanes = new Xoshiro256Lanes(7);
        var state = new ulong[Xoshiro256Lanes.StateWords];
        lanes.GetState(state);
        var output = new ulong[8 * 10];
        lanes.Fill(output);
        for (int lane = 0; lane < 8; lane++)
        {
            var reference = Xoshiro256.FromState((state[lane], state[8 + lane], state[16 + lane], state[24 + lane]));
            for (int t = 0; t < 10; t++) Assert.Equal(reference.NextUInt64(), output[8 * t + lane]);
        }
    }

    [Fact]
    public void GaussianStreamHasUnitMomentsAndUniformIsInRange()
    {
        var r = new RandomStream(3);
        const int n = 200_000;
        double sum = 0, sumSq = 0, sum4 = 0;
        for (int i = 0; i < n; i++) { double g = r.NextGaussian(); sum += g; sumSq += g * g; sum4 += g * g * g * g; }
        Assert.InRange(sum / n, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(sumSq / n, 1 - 5 * Math.Sqrt(2.0 / n), 1 + 5 * Math.Sqrt(2.0 / n));
        Assert.InRange(sum4 / n, 3 - 5 * Math.Sqrt(96.0 / n), 3 + 5 * Math.Sqrt(96.0 / n));
        double u = 0;
        for (int i = 0; i < n; i++) { float v = r.NextUniform(); Assert.InRange(v, 0f, 0.99999995f); u += v; }
        Assert.InRange(u / n, 0.5 - 5 * Math.Sqrt(1 / 12.0 / n), 0.5 + 5 * Math.Sqrt(1 / 12.0 / n));
    }

    [Fact]
    public void MaskBitsFireWithTheRequestedProbabilityOnEveryPath()
    {
        var lanes = new Xoshiro256Lanes(5);
        var words = new ulong[8 * 1000];
        lanes.Fill(words);
        var draws = System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, uint>(words.AsSpan());
        const float p = 0.3f;
        const int bl = 31;
        int perLine = PulseMasks.DrawsPerLine(bl), lines = draws.Length / perLine;
        long ones = 0;
        var mask = new ulong[1];
        uint threshold = (uint)(p * 4294967296.0);
        for (int l = 0; l < lines; l++)
        {
            var line = draws.Slice(l * perLine, perLine);
            PulseMasks.Build(line, p, bl, mask);
            ulong scalar = PulseMasks.Below16Scalar(line[..16], threshold) | (PulseMasks.Below16Scalar(line[16..32], threshold) << 16);
            Assert.Equal(scalar & ((1UL << bl) - 1), mask[0]);
            ones += System.Numerics.BitOperations.PopCount(mask[0]);
        }
        double trials = (double)lines * bl;
        Assert.InRange(ones / trials, p - 5 * Math.Sqrt(p * (1 - p) / trials), p + 5 * Math.Sqrt(p * (1 - p) / trials));
        PulseMasks.Build(draws[..perLine], 1f, bl, mask);
        Assert.Equal((1UL << bl) - 1, mask[0]);
        PulseMasks.Build(draws[..perLine], 0f, bl, mask);
        Assert.Equal(0UL, mask[0]);
        var wide = new ulong[2];
        PulseMasks.Build(draws[..PulseMasks.DrawsPerLine(100)], 1f, 100, wide);
        Assert.Equal((ulong.MaxValue, (1UL << 36) - 1), (wide[0], wide[1]));
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }
}
