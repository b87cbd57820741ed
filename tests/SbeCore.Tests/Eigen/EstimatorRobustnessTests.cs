using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>Hostile inputs to the estimator: one verdict per sample whatever the path,
/// unit outputs always, directions independent of the data's power-of-two scale, sizes checked at creation.</summary>
public class EstimatorRobustnessTests
{
    private const int A = 7, B = 11, N = 16;

    public static TheoryData<string> Paths => new() { "rank1", "rank1-general", "rank2-m8", "rank2-m1", "rank1-q8", "first-sample" };

    private static SbeEstimator Create(string path, ulong seed = 5) => path switch
    {
        "rank1" => new SbeEstimator(A, B, new EstimatorOptions(), seed),
        "rank1-general" => new SbeEstimator(A, B, new EstimatorOptions(), seed) { ForceGeneralPath = true },
        "rank2-m8" => new SbeEstimator(A, B, new EstimatorOptions { Rank = 2, SubBatch = 8 }, seed),
        "rank2-m1" => new SbeEstimator(A, B, new EstimatorOptions { Rank = 2 }, seed),
        "rank1-q8" => new SbeEstimator(A, B, new EstimatorOptions { QuantizationBits = 8 }, seed),
        "first-sample" => new SbeEstimator(A, B, new EstimatorOptions { Rank = 2, Initialization = InitialState.FirstSample }, seed),
        _ => throw new ArgumentException(path),
    };

    private static void Observe(SbeEstimator e, float[] deltas, float[] xs, bool perSample)
    {
        if (perSample) for (int j = 0; j < N; j++) e.Observe(deltas.AsSpan(j * A, A), xs.AsSpan(j * B, B));
        else e.ObserveBatch(deltas, xs, N);
    }

    private static (float[] s, float[] d, float[] x) Run(SbeEstimator e, float[] deltas, float[] xs, int n, bool perSample)
    {
        if (perSample) for (int j = 0; j < n; j++) e.Observe(deltas.AsSpan(j * A, A), xs.AsSpan(j * B, B));
        else e.ObserveBatch(deltas, xs, n);
        var (s, d, x) = TestData.Outputs(e.Rank, A, B);
        e.Estimate(s, d, x);
        return (s, d, x);
    }

    private static void AssertUnitRows(float[] v, int len)
    {
        for (int c = 0; c < v.Length / len; c++)
        {
            double ss = 0;
            for (int i = 0; i < len; i++) ss += (double)v[c * len + i] * v[c * len + i];
            Assert.True(Math.Abs(Math.Sqrt(ss) - 1) < 1e-5, $"row {c} has norm {Math.Sqrt(ss)}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void OneLargeSampleGetsTheSameVerdictOnEveryPath(string path)
    {
        foreach (float scale in new[] { 1e10f, 1e15f, 1e17f, 1e19f, 1e25f })
        {
            var (deltas, xs) = TestData.Gaussian(N, A, B, 21);
            for (int i = 0; i < A; i++) deltas[5 * A + i] *= scale;
            for (int i = 0; i < B; i++) xs[5 * B + i] *= scale;
            var bySample = Create(path); var byBatch = Create(path);

            Exception? e1 = Record.Exception(() => Observe(bySample, deltas, xs, perSample: true));
            Exception? e2 = Record.Exception(() => Observe(byBatch, deltas, xs, perSample: false));
            Assert.Equal(e1 is null, e2 is null);
            if (e1 is not null) { Assert.Contains("too large", e1.Message); Assert.Contains("too large", e2!.Message); continue; }
            var (s1, d1, x1) = Run(bySample, [], [], 0, true);
            var (s2, d2, x2) = Run(byBatch, [], [], 0, false);
            Assert.Equal(s1, s2); Assert.Equal(d1, d2); Assert.Equal(x1, x2);
            AssertUnitRows(d1, A); AssertUnitRows(x1, B);
            // the batch mean is dominated by the large sample: its directions and a positive s
            Assert.True(s1[0] > 0, $"scale {scale}: s = {s1[0]}");
            Assert.True(Math.Abs(Cos(d1.AsSpan(0, A), deltas.AsSpan(5 * A, A))) > 0.99, $"scale {scale}: d misses the large sample");
            Assert.True(Math.Abs(Cos(x1.AsSpan(0, B), xs.AsSpan(5 * B, B))) > 0.99, $"scale {scale}: x misses the large sample");
            // and clean batches afterwards still give finite unit outputs
            var (cd, cx) = TestData.Gaussian(N, A, B, 22);
            var (s3, d3, x3) = Run(byBatch, cd, cx, N, false);
            Assert.All(s3, v => Assert.True(float.IsFinite(v)));
            AssertUnitRows(d3, A); AssertUnitRows(x3, B);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ZeroOrTinyBatchesAfterAWarmStartKeepUnitOutputs(string path)
    {
        foreach (float scale in new[] { 0f, 1e-20f })
        {
            var e = Create(path);
            for (int b = 0; b < 5; b++) { var (d0, x0) = TestData.Gaussian(N, A, B, (ulong)b); Run(e, d0, x0, N, false); }
            var (deltas, xs) = TestData.Gaussian(N, A, B, 99);
            for (int i = 0; i < deltas.Length; i++) deltas[i] *= scale;
            for (int i = 0; i < xs.Length; i++) xs[i] *= scale;
            for (int b = 0; b < 80; b++)
            {
                var (s, d, x) = Run(e, deltas, xs, N, b % 2 == 0);
                Assert.All(s, v => Assert.True(float.IsFinite(v) && v >= 0 || path == "first-sample" && float.IsFinite(v), $"batch {b}: s = {v}"));
                AssertUnitRows(d, A); AssertUnitRows(x, B);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ScalingDeltaOrXByPowersOfTwoLeavesDirectionsBitIdentical(string path)
    {
        var reference = Create(path);
        var batches = Enumerable.Range(0, 4).Select(b => TestData.Gaussian(9 + b, A, B, (ulong)(40 + b))).ToArray();
        var expected = batches.Select(t => Run(reference, t.deltas, t.xs, t.deltas.Length / A, false)).ToArray();
        foreach (var (ed, ex) in new[] { (-60, 0), (0, 37), (-3, 5), (20, -90), (100, -100) })
        {
            var e = Create(path);
            for (int b = 0; b < batches.Length; b++)
            {
                float[] d0 = batches[b].deltas.Select(v => MathF.ScaleB(v, ed)).ToArray();
                float[] x0 = batches[b].xs.Select(v => MathF.ScaleB(v, ex)).ToArray();
                var (s, d, x) = Run(e, d0, x0, d0.Length / A, b % 2 == 1);
                Assert.Equal(expected[b].d, d);
                Assert.Equal(expected[b].x, x);
                Assert.Equal(expected[b].s.Select(v => MathF.ScaleB(v, ed + ex)).ToArray(), s);
            }
        }
    }

    [Fact]
    public void RankTwoWithBatchesOfOneNeverGoesNaN()
    {
        // rank-1 batches: the second pair has no signal, its columns decay towards the first and must be repaired, never
        // NaN; 1,200 batches of zero deltas (ReLUs all off) decay the state by 2^-1200 and must not sink it into denormals
        var e = new SbeEstimator(20, 30, new EstimatorOptions { Rank = 2 }, seed: 1);
        var (s, d, x) = TestData.Outputs(2, 20, 30);
        var rng = new SbeCore.Numerics.Xoshiro256(3);
        float[] delta = new float[20], input = new float[30];
        for (int b = 0; b < 4000; b++)
        {
            rng.FillGaussian(delta); rng.FillGaussian(input);
            if (b % 3 == 0 || b is >= 500 and < 1700) Array.Clear(delta); // and a long stretch of a dead layer
            e.ObserveBatch(delta, input, 1);
            e.Estimate(s, d, x);
            Assert.True(float.IsFinite(s[0]) && float.IsFinite(s[1]), $"batch {b}: s = {s[0]}, {s[1]}");
        }
        AssertUnitRows(d, 20); AssertUnitRows(x, 30);
    }

    [Fact]
    public void DivergingDivisionFreeFormRestartsInsteadOfCarryingNaN()
    {
        var e = new SbeEstimator(A, B, new EstimatorOptions { DivisionFree = true, OjaRate = 0.5f }, seed: 2);
        for (int b = 0; b < 10; b++)
        {
            var (deltas, xs) = TestData.Gaussian(N, A, B, (ulong)(60 + b));
            for (int i = 0; i < deltas.Length; i++) deltas[i] *= 1e6f; // xi |delta| |x| far from small: diverges
            var (s, d, x) = Run(e, deltas, xs, N, b % 2 == 0);
            Assert.All(s, v => Assert.True(float.IsFinite(v)));
            AssertUnitRows(d, A); AssertUnitRows(x, B);
            Assert.All(e.RawX.ToArray(), v => Assert.True(float.IsFinite(v)));
        }
    }

    [Theory]
    [InlineData(64, 64, 1 << 26)]
    [InlineData(32, 32, 1 << 26)]
    [InlineData(8, 8, 1 << 26)]
    [InlineData(2, 2, int.MaxValue)]
    public void SubBatchTimesSizeIsCheckedAtCreation(int rows, int cols, int subBatch)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SbeEstimator(rows, cols, new EstimatorOptions { Rank = 2, SubBatch = subBatch }));
        Assert.Equal("SubBatch", ex.ParamName);
    }

    [Fact]
    public void RankTimesSizeIsCheckedAtCreation()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SbeEstimator(1 << 16, 1 << 16, new EstimatorOptions { Rank = 1 << 15 }));
        Assert.Equal("Rank", ex.ParamName);
    }

    private static double Cos(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += (double)a[i] * b[i]; aa += (double)a[i] * a[i]; bb += (double)b[i] * b[i]; }
        return ab / Math.Sqrt(aa * bb);
    }
}
