using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Training;

namespace SbeCore.Tests.Kernels;

/// <summary>Every width of the operator layer (SimdDispatch, SimdMap, SimdReduce) and of the loops moved onto it,
/// against the plain scalar expressions they replaced: bit for bit, at lengths around every vector size, in place and
/// out of place, with guard cells past the end; and 0 bytes allocated at every width.</summary>
public class OperatorLayerWidthTests
{
    private const float Guard = 12345f;

    // The test project's public Width enum carries the same values as the internal SimdWidth (theory parameters must be public).
    public static TheoryData<Width> Widths()
    {
        var data = new TheoryData<Width>();
        foreach (SimdWidth w in SimdDispatch.Available) data.Add((Width)(int)w);
        return data;
    }

    private static readonly int[] Lengths = [.. Enumerable.Range(0, 70), 100, 127, 513, 785, 1000];

    private static float[] Random(ref Xoshiro256 rng, int n, float scale)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = scale * (float)(2 * rng.NextDouble() - 1);
        return v;
    }

    // destination = map(x) at the forced width, into a buffer with guard cells; also in place. Both against expected.
    private static void CheckUnary<TOp>(SimdWidth width, TOp op, Func<float, float> expected, float scale) where TOp : struct, IUnaryOperator
    {
        var rng = new Xoshiro256(3);
        foreach (int n in Lengths)
        {
            float[] x = Random(ref rng, n, scale);
            if (n > 3) { x[1] = 0f; x[2] = -0f; x[3] = float.NaN; }
            var y = Enumerable.Repeat(Guard, n + 3).ToArray();
            var inPlace = (float[])x.Clone();
            using (SimdDispatch.Force(width))
            {
                SimdMap.Unary(op, x, y);
                SimdMap.Unary(op, inPlace, inPlace);
            }
            for (int i = 0; i < n; i++)
            {
                float e = expected(x[i]);
                Assert.True(BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(y[i]), $"{width} n {n} [{i}] x {x[i]}: {y[i]} vs {e}");
                Assert.Equal(BitConverter.SingleToInt32Bits(e), BitConverter.SingleToInt32Bits(inPlace[i]));
            }
            for (int i = n; i < n + 3; i++) Assert.Equal(Guard, y[i]);
        }
    }

    private static void CheckBinary<TOp>(SimdWidth width, TOp op, Func<float, float, float> expected, float scale) where TOp : struct, IBinaryOperator
    {
        var rng = new Xoshiro256(4);
        foreach (int n in Lengths)
        {
            float[] x = Random(ref rng, n, scale), z = Random(ref rng, n, 1f);
            var y = Enumerable.Repeat(Guard, n + 3).ToArray();
            using (SimdDispatch.Force(width)) SimdMap.Binary(op, x, z, y);
            for (int i = 0; i < n; i++)
            {
                float e = expected(x[i], z[i]);
                Assert.True(BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(y[i]), $"{width} n {n} [{i}]: {y[i]} vs {e}");
            }
            for (int i = n; i < n + 3; i++) Assert.Equal(Guard, y[i]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void MapsGiveTheScalarBits(Width w)
    {
        var width = (SimdWidth)(int)w;
        CheckUnary(width, new MultiplyOperator(0.37f), x => x * 0.37f, 3f);
        CheckBinary(width, new AddScaledOperator(-1.7f), (x, y) => x + -1.7f * y, 3f);
        CheckUnary(width, default(Activations.Relu), z => z > 0 ? z : 0f, 3f);
        CheckBinary(width, default(Activations.ReluGate), (g, h) => h > 0 ? g : 0f, 1f);
        CheckBinary(width, default(Activations.SigmoidSlope), (g, h) => g * h * (1f - h), 1f);
        // DAC: 7-bit steps, bound 1, inputs past the bound on both sides; and without quantisation.
        float step = AnalogReader.Step(1f / 126f, 1f);
        CheckUnary(width, new AnalogReader.DacOperator(0.8f, step, 1f), x => Math.Clamp(MathF.Round(x * 0.8f / step) * step, -1f, 1f), 2f);
        CheckUnary(width, new AnalogReader.DacOperator(1.3f, 0f, 0.5f), x => Math.Clamp(x * 1.3f, -0.5f, 0.5f), 1f);
    }

    [Theory, MemberData(nameof(Widths))]
    public void SigmoidKeepsTheMathFBitsOnEveryWidth(Width w)
    {
        var width = (SimdWidth)(int)w;
        var rng = new Xoshiro256(8);
        float[] z = Random(ref rng, 4096, 20f), h = new float[z.Length];
        using (SimdDispatch.Force(width)) Activations.Apply(Activation.Sigmoid, z, h);
        for (int i = 0; i < z.Length; i++) Assert.Equal(1f / (1f + MathF.Exp(-z[i])), h[i]);
    }

    [Theory, MemberData(nameof(Widths))]
    public void AbsMaxIsExactAndFindsEveryNonFinite(Width w)
    {
        var width = (SimdWidth)(int)w;
        using var scope = SimdDispatch.Force(width);
        var rng = new Xoshiro256(5);
        foreach (int n in Lengths)
        {
            float[] v = Random(ref rng, n, 4f);
            Assert.Equal(n == 0 ? 0f : v.Max(MathF.Abs), SimdReduce.AbsMax(v));
            for (int i = 0; i < n; i += Math.Max(1, n / 7))
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    float keep = v[i]; v[i] = bad;
                    Assert.True(float.IsNaN(SimdReduce.AbsMax(v)), $"{width} n {n}, {bad} at {i}");
                    v[i] = keep;
                }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void MaxEqualsTheSequentialMaximum(Width w)
    {
        var width = (SimdWidth)(int)w;
        using var scope = SimdDispatch.Force(width);
        var rng = new Xoshiro256(6);
        foreach (int n in Lengths.Where(n => n > 0))
        {
            float[] v = Random(ref rng, n, 4f);
            Assert.Equal(v.Aggregate(MathF.Max), SimdReduce.Max(v));
            if (n > 2) { v[n / 2] = float.NaN; Assert.True(float.IsNaN(SimdReduce.Max(v))); }
        }
        Assert.Throws<ArgumentException>(() => SimdReduce.Max([]));
    }

    [Theory, MemberData(nameof(Widths))]
    public void AdcQuantisesClipsAndReportsTheBoundLikeTheScalarLoop(Width w)
    {
        var width = (SimdWidth)(int)w;
        var rng = new Xoshiro256(7);
        float step = AnalogReader.Step(1f / 510f, 12f);
        foreach (int n in Lengths)
            foreach (bool testNegative in new[] { false, true })
                foreach (float spread in new[] { 5f, 13f })
                    foreach (bool sign in new[] { false, true })
                    {
                        // spread 13 puts outputs past ±12; "sign" keeps them all on one side, so every hit combination occurs.
                        float[] y = Random(ref rng, n, spread);
                        if (sign) for (int i = 0; i < n; i++) y[i] = -MathF.Abs(y[i]);
                        var expected = (float[])y.Clone();
                        bool expectedPassed = true;
                        for (int i = 0; i < n; i++)
                        {
                            float v = MathF.Round(expected[i] / step) * step;
                            if (v > 12f) { v = 12f; expectedPassed = false; }
                            else if (v < -12f) { v = -12f; expectedPassed &= !testNegative; }
                            expected[i] = v;
                        }
                        bool passed;
                        using (SimdDispatch.Force(width)) passed = AnalogReader.NoisyAdc(y, default, 0f, default, 1f, y, step, 12f, testNegative, stopAtHit: false) < 0;
                        Assert.Equal(expectedPassed, passed);
                        Assert.Equal(expected, y);
                    }
    }

    [Theory, MemberData(nameof(Widths))]
    public void QuantizeVectorGivesTheScalarBits(Width w)
    {
        var width = (SimdWidth)(int)w;
        var rng = new Xoshiro256(9);
        foreach (int n in Lengths.Where(n => n > 0))
        {
            float[] v = Random(ref rng, n, 3f);
            float maxAbs = v.Max(MathF.Abs), levels = 127f, stepQ = maxAbs / levels, inv = levels / maxAbs;
            float[] nearest = v.Select(e => MathF.Round(e * inv) * stepQ).ToArray();
            var draws = new Xoshiro256((ulong)n); var drawsCopy = draws;
            float[] stochastic = v.Select(e => MathF.Min(levels, MathF.Floor(e * inv + drawsCopy.NextSingle())) * stepQ).ToArray();
            float[] a = (float[])v.Clone(), b = (float[])v.Clone();
            using (SimdDispatch.Force(width))
            {
                Quantizer.QuantizeVector(a, 8);
                Quantizer.QuantizeVector(b, 8, ref draws);
            }
            Assert.Equal(nearest, a);
            Assert.Equal(stochastic, b);
            Assert.Equal(drawsCopy.NextUInt64(), draws.NextUInt64()); // one draw per element, no more
        }
    }

    [Fact]
    public void AnalogReadsAreBitIdenticalOnEveryWidth()
    {
        // The I/O model with the converters, weight and output noise, noise and bound management (outputs large enough
        // to hit the bound), forward and backward. The forced width also reaches the matrix product, whose summation
        // order differs per width; so the DAC step is a power of two (1/64) and the weights are multiples of 1/16, which
        // makes every product and sum exact and leaves the converters and the noise as the only width-dependent code.
        var io = TileConfig.PresetIO() with { InpRes = 1f / 128f, InpNoise = 0f, WNoise = 0.02f, OutBound = 3f, BackwardBoundManagement = true };
        Assert.Equal(1f / 64f, AnalogReader.Step(io.InpRes, io.InpBound));
        var config = new TileConfig { Forward = io, Backward = io };
        const int rows = 37, cols = 53, n = 9;
        var rng = new Xoshiro256(10);
        float[] w = Random(ref rng, rows * cols, 0.5f).Select(v => MathF.Round(16 * v) / 16).ToArray();
        float[] x = Random(ref rng, n * cols, 1f), d = Random(ref rng, n * rows, 1f);
        (float[], float[]) Run(SimdWidth width)
        {
            using var scope = SimdDispatch.Force(width);
            var tile = new CrossbarTile(rows, cols, config, 4);
            tile.SetWeights(w);
            float[] y = new float[n * rows], z = new float[n * cols];
            for (int repeat = 0; repeat < 3; repeat++) { tile.Read(x, n, y); tile.ReadTransposed(d, n, z); }
            return (y, z);
        }
        var (y0, z0) = Run(SimdDispatch.Available[0]);
        foreach (SimdWidth width in SimdDispatch.Available.Skip(1))
        {
            var (y, z) = Run(width);
            Assert.Equal(y0, y);
            Assert.Equal(z0, z);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void SteadyStateAllocatesNothing(Width w)
    {
        var width = (SimdWidth)(int)w;
        var rng = new Xoshiro256(12);
        float[] a = Random(ref rng, 785, 1f), b = Random(ref rng, 785, 1f), c = new float[785];
        var stream = new RandomStream(1);
        var draws = new Xoshiro256(2);
        var tile = new CrossbarTile(40, 60, new TileConfig { Forward = TileConfig.PresetIO(), Backward = TileConfig.PresetIO() }, 1);
        float[] x = Random(ref rng, 5 * 60, 1f), y = new float[5 * 40], d = Random(ref rng, 5 * 40, 1f), z = new float[5 * 60];
        var bits = new ulong[64];
        float sink = 0;
        void CallAll()
        {
            using var scope = SimdDispatch.Force(width);
            SimdMap.Unary(new MultiplyOperator(0.5f), a, c);
            SimdMap.Binary(new AddScaledOperator(0.5f), a, b, c);
            sink += SimdReduce.AbsMax(a) + SimdReduce.Max(b);
            Activations.Apply(Activation.Relu, a, c);
            Activations.Apply(Activation.Sigmoid, a, c);
            Activations.MultiplyByDerivative(Activation.Relu, a, b, c);
            c.AsSpan().CopyTo(b);
            Quantizer.QuantizeVector(c, 8);
            Quantizer.QuantizeVector(c, 8, ref draws);
            stream.AddGaussian(0.1f, c);
            stream.Lanes.Fill(bits);
            sink += AnalogReader.NoisyAdc(c, default, 0f, default, 1f, c, 0.01f, 0.5f, true, stopAtHit: false) < 0 ? 1 : 0;
            tile.Read(x, 5, y);
            tile.ReadTransposed(d, 5, z);
        }
        for (int i = 0; i < 20; i++) CallAll();
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 20; i++) CallAll(); });
        Assert.False(float.IsInfinity(sink));
    }

    [Fact]
    public void DispatchFollowsTheShortInputPolicyAndForceIsScoped()
    {
        SimdWidth hardware = SimdDispatch.Hardware;
        Assert.Equal(hardware, SimdDispatch.Widest);
        Assert.Equal(SimdWidth.Scalar, SimdDispatch.For(3));
        Assert.Equal(hardware >= SimdWidth.V128 ? SimdWidth.V128 : SimdWidth.Scalar, SimdDispatch.For(4));
        Assert.Equal(hardware >= SimdWidth.V256 ? SimdWidth.V256 : hardware, SimdDispatch.For(10));
        Assert.Equal(hardware, SimdDispatch.For(16));
        Assert.Equal(hardware >= SimdWidth.V256 ? SimdWidth.V256 : hardware, SimdDispatch.ForDouble(7));
        using (SimdDispatch.Force(SimdWidth.Scalar))
        {
            Assert.Equal(SimdWidth.Scalar, SimdDispatch.For(1000));
            using (SimdDispatch.Force(SimdDispatch.Available[0])) Assert.Equal(hardware, SimdDispatch.For(1000));
            Assert.Equal(SimdWidth.Scalar, SimdDispatch.For(1000));
        }
        Assert.Equal(hardware, SimdDispatch.Widest);
        if (hardware != SimdWidth.V512)
            Assert.Throws<ArgumentException>(() => SimdDispatch.Force(SimdWidth.V512));
    }
}
