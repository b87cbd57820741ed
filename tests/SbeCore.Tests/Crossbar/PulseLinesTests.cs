using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Crossbar;

/// <summary>The vector per-line preparation of a pulsed write gives, at every width and length, what the scalar loops it
/// replaced gave: p = min(scale |v|, 1), its threshold through PulseMasks.Threshold (double p * 2^32), the sign times
/// the flip as a byte and as a float; and the non-zero words, ascending.</summary>
public class PulseLinesTests
{
    private static float[] Values(int n, int seed)
    {
        var rng = new Xoshiro256((ulong)seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            v[i] = (i % 7) switch
            {
                0 => 0f,
                1 => -0f,
                2 => (float)(u * 1e-9), // p far below 2^-24: a threshold with a fraction to truncate
                3 => (float)(-50 * u), // p clipped to 1: threshold uint.MaxValue
                4 => float.Epsilon,
                _ => (float)(2 * u - 1),
            };
        }
        return v;
    }

    [Theory]
    [InlineData(0.7f, 1f)]
    [InlineData(31f, -1f)]
    [InlineData(1e-3f, 1f)]
    public void EveryWidthGivesTheScalarLoopsValues(float scale, float flip)
    {
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            using var _ = SimdDispatch.Force(width);
            foreach (int n in new[] { 0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 64, 101, 785 })
            {
                float[] v = Values(n, n + 5);
                var p = new float[n];
                var th = new uint[n + 3];
                var s = new sbyte[n + 3];
                var dir = new float[n];
                PulseLines.Prepare(scale, v, flip, p, th, s, dir);
                for (int i = 0; i < n; i++)
                {
                    float expectedP = MathF.Min(scale * MathF.Abs(v[i]), 1f);
                    uint expectedThreshold = expectedP > 0 ? (expectedP < 1f ? (uint)(expectedP * 4294967296.0) : uint.MaxValue) : 0;
                    int expectedSign = (int)flip * ((v[i] > 0 ? 1 : 0) - (v[i] < 0 ? 1 : 0));
                    Assert.True(BitConverter.SingleToInt32Bits(expectedP) == BitConverter.SingleToInt32Bits(p[i]), $"{width} n {n} p[{i}]");
                    Assert.True(expectedThreshold == th[i], $"{width} n {n} threshold[{i}]: {th[i]} instead of {expectedThreshold}");
                    Assert.True(expectedSign == s[i], $"{width} n {n} sign[{i}]");
                    Assert.True(expectedSign == dir[i], $"{width} n {n} direction[{i}]");
                }
                Assert.All(th.AsSpan(n).ToArray(), t => Assert.Equal(0u, t)); // nothing written past the lines
                Assert.All(s.AsSpan(n).ToArray(), b => Assert.Equal((sbyte)0, b));
            }
        }
    }

    [Fact]
    public void DirectionsAreOptional()
    {
        float[] v = Values(40, 3);
        var p = new float[40];
        var th = new uint[40];
        var s = new sbyte[40];
        PulseLines.Prepare(2f, v, 1f, p, th, s, default);
        Assert.Equal(Math.Sign(v[5]), s[5]);
    }

    [Fact]
    public void ShortOutputsAreRefused()
    {
        var v = new float[10];
        Assert.Throws<ArgumentException>(() => PulseLines.Prepare(1f, v, 1f, new float[10], new uint[9], new sbyte[10], default));
        Assert.Throws<ArgumentException>(() => PulseLines.Prepare(1f, v, 1f, new float[10], new uint[10], new sbyte[10], new float[3]));
        Assert.Throws<ArgumentException>(() => PulseLines.NonZero(new ulong[10], new int[9]));
    }

    [Fact]
    public void EveryWidthListsTheNonZeroWords()
    {
        var rng = new Xoshiro256(9);
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            using var _ = SimdDispatch.Force(width);
            foreach (int n in new[] { 0, 1, 2, 3, 7, 8, 9, 16, 63, 101, 785 })
            {
                foreach (double density in new[] { 0.0, 0.05, 0.5, 1.0 })
                {
                    var words = new ulong[n];
                    for (int i = 0; i < n; i++) words[i] = rng.NextDouble() < density ? 1UL << (int)(rng.NextUInt64() % 64) : 0;
                    var found = new int[n];
                    int count = PulseLines.NonZero(words, found);
                    int[] expected = Enumerable.Range(0, n).Where(i => words[i] != 0).ToArray();
                    Assert.Equal(expected, found.AsSpan(0, count).ToArray());
                }
            }
        }
    }
}
