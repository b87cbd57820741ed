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
    public void EveryWidthOfTheRandomStreamGivesTheSameUniformsAndGaussians()
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
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            var (u, g) = Run(width);
            Assert.Equal(scalar.Uniform, u);
            Assert.Equal(scalar.Gaussian, g);
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
    public void MaskBitsFireWithTheRequestedProbability()
    {
        const int lines = 1000, bl = 31;
        const float p = 0.3f;
        var lanes = new Xoshiro256Lanes(5);
        var words = new ulong[(PulseMasks.Draws(lines, bl) + 1) / 2 + 8];
        lanes.Fill(words);
        var draws = System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, uint>(words.AsSpan());
        var thresholds = new uint[PulseMasks.PaddedLines(lines)];
        for (int l = 0; l < lines; l++) thresholds[l] = PulseMasks.Threshold(p);
        var masks = new ulong[lines];
        PulseMasks.Build(draws, thresholds, lines, bl, masks);
        long ones = masks.Sum(m => (long)System.Numerics.BitOperations.PopCount(m));
        Assert.All(masks, m => Assert.Equal(0UL, m >> bl)); // no bit beyond the train
        double trials = (double)lines * bl;
        Assert.InRange(ones / trials, p - 5 * Math.Sqrt(p * (1 - p) / trials), p + 5 * Math.Sqrt(p * (1 - p) / trials));
        Assert.Equal(0u, PulseMasks.Threshold(0f));
        Assert.Equal(0u, PulseMasks.Threshold(-1f));
        Assert.Equal(uint.MaxValue, PulseMasks.Threshold(1f));
        Assert.Equal(uint.MaxValue, PulseMasks.Threshold(float.PositiveInfinity));
        Assert.True(PulseMasks.Threshold(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) - 1)) < uint.MaxValue); // largest p below 1
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }
}
