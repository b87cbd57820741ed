using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Tests.Crossbar;

/// <summary>
/// The rules write through <see cref="IAnalogArray"/>, not a tile: a logical matrix mapped onto two physical tiles (rows
/// split between them, the way a large layer is mapped onto several crossbars) trains with every built-in rule, and on
/// the ideal device gives bit for bit the weights one tile gets (each row's writes are the same operations on either).
/// </summary>
public class AnalogArraySeamTests
{
    /// <summary>Rows [0, Split) on one tile, the rest on another; reads gather and sum, writes scatter.</summary>
    private sealed class TwoTileRows(int rows, int cols, int split, TileConfig config) : IAnalogArray
    {
        public CrossbarTile Top { get; } = new(split, cols, config, seed: 1);
        public CrossbarTile Bottom { get; } = new(rows - split, cols, config, seed: 2);
        private float[] _a = [], _b = [], _c = [];

        public int Rows => rows;
        public int Cols => cols;
        public int Threads => 1;

        private static float[] Grow(float[] buffer, int length) => buffer.Length >= length ? buffer : new float[length];

        public void Read(ReadOnlySpan<float> inputs, int n, Span<float> outputs)
        {
            _a = Grow(_a, n * split); _b = Grow(_b, n * (rows - split));
            Top.Read(inputs, n, _a); Bottom.Read(inputs, n, _b);
            for (int j = 0; j < n; j++)
            {
                _a.AsSpan(j * split, split).CopyTo(outputs.Slice(j * rows));
                _b.AsSpan(j * (rows - split), rows - split).CopyTo(outputs.Slice(j * rows + split));
            }
        }

        public void ReadTransposed(ReadOnlySpan<float> errors, int n, Span<float> outputs)
        {
            _a = Grow(_a, n * split); _b = Grow(_b, n * (rows - split)); _c = Grow(_c, n * cols);
            for (int j = 0; j < n; j++)
            {
                errors.Slice(j * rows, split).CopyTo(_a.AsSpan(j * split));
                errors.Slice(j * rows + split, rows - split).CopyTo(_b.AsSpan(j * (rows - split)));
            }
            Top.ReadTransposed(_a.AsSpan(0, n * split), n, outputs);
            Bottom.ReadTransposed(_b.AsSpan(0, n * (rows - split)), n, _c);
            for (int i = 0; i < n * cols; i++) outputs[i] += _c[i];
        }

        public void Update(float learningRate, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
        {
            Top.Update(learningRate, d[..split], x);
            Bottom.Update(learningRate, d[split..], x);
        }

        public void UpdateRankK(float learningRate, ReadOnlySpan<float> s, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
        {
            int k = s.Length;
            _a = Grow(_a, k * split); _b = Grow(_b, k * (rows - split));
            for (int c = 0; c < k; c++)
            {
                d.Slice(c * rows, split).CopyTo(_a.AsSpan(c * split));
                d.Slice(c * rows + split, rows - split).CopyTo(_b.AsSpan(c * (rows - split)));
            }
            Top.UpdateRankK(learningRate, s, _a.AsSpan(0, k * split), x);
            Bottom.UpdateRankK(learningRate, s, _b.AsSpan(0, k * (rows - split)), x);
        }

        public void UpdateDense(float learningRate, ReadOnlySpan<float> g, long rankOneEquivalent) => UpdateDense(learningRate, g, cols, rankOneEquivalent);

        public void UpdateDense(float learningRate, ReadOnlySpan<float> g, int stride, long rankOneEquivalent)
        {
            Top.UpdateDense(learningRate, g, stride, rankOneEquivalent);
            Bottom.UpdateDense(learningRate, g[(split * stride)..], stride, rankOneEquivalent);
        }
    }

    public static TheoryData<string> Rules => new() { "sgd", "minibatch", "svd-2", "sbe-1", "sbe-3", "lrt-2", "sbpca-2" };

    private static IUpdateRule Create(string name, int rows, int cols) => name switch
    {
        "sgd" => new SgdRule(rows, cols),
        "minibatch" => new MiniBatchRule(rows, cols),
        "svd-2" => new TruncatedSvdRule(rows, cols, 2),
        "sbe-1" => new SbeRule(rows, cols, new SbeCore.Eigen.EstimatorOptions { Rank = 1 }, seed: 5),
        "sbe-3" => new SbeRule(rows, cols, new SbeCore.Eigen.EstimatorOptions { Rank = 3 }, seed: 5),
        "lrt-2" => new LrtRule(rows, cols, 2),
        "sbpca-2" => new SbpcaRule(rows, cols, 2, subBatch: 4, seed: 5),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Rules))]
    public void EveryRuleTrainsATwoTileMappingAsOneTileOnTheIdealDevice(string rule)
    {
        const int rows = 37, cols = 21, split = 16, n = 9;
        var config = new TileConfig();
        var one = new CrossbarTile(rows, cols, config, seed: 1);
        var two = new TwoTileRows(rows, cols, split, config);
        var rng = new Xoshiro256(3);
        var start = new float[rows * cols];
        rng.FillGaussian(start);
        for (int i = 0; i < start.Length; i++) start[i] *= 0.1f;
        one.SetWeights(start);
        two.Top.SetWeights(start.AsSpan(0, split * cols));
        two.Bottom.SetWeights(start.AsSpan(split * cols));
        IUpdateRule ruleOne = Create(rule, rows, cols), ruleTwo = Create(rule, rows, cols);
        var deltas = new float[n * rows];
        var inputs = new float[n * cols];
        for (int batch = 0; batch < 3; batch++)
        {
            rng.FillGaussian(deltas); rng.FillGaussian(inputs);
            ruleOne.Apply(one, deltas, inputs, n, 0.05f);
            ruleTwo.Apply(two, deltas, inputs, n, 0.05f);
        }
        float[] mapped = [.. two.Top.Weights, .. two.Bottom.Weights];
        Assert.False(mapped.AsSpan().SequenceEqual(start), "the rule wrote");
        Assert.True(one.Weights.SequenceEqual(mapped), $"{rule}: the two-tile mapping's weights differ from one tile's");
        Assert.Equal(ruleOne.RankOneWrites, ruleTwo.RankOneWrites);

        // Reads through the seam: the same products as one tile (the backward sum of the two halves within rounding).
        var y1 = new float[n * rows]; var y2 = new float[n * rows];
        one.Read(inputs, n, y1); two.Read(inputs, n, y2);
        Assert.Equal(y1, y2);
        var z1 = new float[n * cols]; var z2 = new float[n * cols];
        one.ReadTransposed(deltas, n, z1); two.ReadTransposed(deltas, n, z2);
        for (int i = 0; i < z1.Length; i++) Assert.Equal(z1[i], z2[i], 4);
    }
}
