using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Tests.Crossbar;

public class RandomGeneratorTests
{
    [Fact]
    public void EveryIsaPathOfTheLaneGeneratorGivesTheSameBits()
    {
        var a = new Xoshiro256Lanes(42); var b = new Xoshiro256Lanes(42); var c = new Xoshiro256Lanes(42);
        var ra = new ulong[8 * 37]; var rb = new ulong[8 * 37]; var rc = new ulong[8 * 37];
        for (int round = 0; round < 3; round++)
        {
            a.Fill512(ra); b.Fill256(rb); c.FillScalar(rc);
            Assert.Equal(rc, ra); Assert.Equal(rc, rb);
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
