using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.Tests.Training.Conv;

/// <summary>Conv2d and pooling layers against direct loops (<see cref="ConvReference"/>), on the ideal device.</summary>
public class ConvLayerTests
{
    // (in channels, height, width, out channels, kernel, stride, padding): odd sizes, strides that skip pixels,
    // padding up to the kernel, 1x1 kernels, kernels as large as the padded input.
    public static TheoryData<int, int, int, int, int, int, int> Geometries => new()
    {
        { 1, 5, 5, 2, 3, 1, 0 }, { 2, 6, 7, 3, 3, 1, 1 }, { 3, 7, 6, 2, 3, 2, 0 }, { 2, 8, 8, 4, 5, 2, 2 },
        { 1, 4, 4, 1, 1, 1, 0 }, { 2, 5, 5, 3, 2, 3, 1 }, { 1, 3, 3, 2, 5, 1, 1 }, { 3, 6, 5, 2, 3, 2, 3 },
    };

    // A noise-free I/O model (no converters, no noise, no bounds): not a perfect read, so the layer keeps its pairs as
    // position-major rows, the batch an I/O model reads; a perfect read keeps them as columns. Both must be the convolution.
    private static readonly IOConfig NoiseFreeModel = new() { InpRes = 0, OutRes = 0, OutNoise = 0, OutBound = float.PositiveInfinity };

    private static (Conv2dLayer Layer, float[] W, float[] X) Make(ConvGeometry g, int n, ulong seed, bool ioModel = false)
    {
        var rng = new Xoshiro256(seed);
        int rows = g.OutChannels, cols = g.PatchSize + 1;
        var w = new float[rows * cols];
        rng.FillGaussian(w, 0.5);
        var tile = ioModel ? new CrossbarTile(rows, cols, new TileConfig { Forward = NoiseFreeModel, Backward = NoiseFreeModel }) : new CrossbarTile(rows, cols);
        tile.SetWeights(w);
        var layer = new Conv2dLayer(g, tile, new SgdRule(rows, cols));
        var x = new float[n * g.Input.Size];
        rng.FillGaussian(x, 1.0);
        layer.EnsureCapacity(n);
        Assert.Equal(!ioModel, layer.PairsAsColumns);
        return (layer, w, x);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardMatchesTheDirectLoop(int c, int h, int w, int o, int k, int s, int p)
    {
        foreach (bool ioModel in new[] { false, true }) ForwardMatchesTheDirectLoopIn(c, h, w, o, k, s, p, ioModel);
    }

    private static void ForwardMatchesTheDirectLoopIn(int c, int h, int w, int o, int k, int s, int p, bool ioModel)
    {
        var g = new ConvGeometry(new TensorShape(c, h, w), o, k, s, p);
        const int n = 3;
        var (layer, wts, x) = Make(g, n, 7, ioModel);
        var y = new float[n * g.Output.Size];
        layer.Forward(x, n, y);
        double[] expected = ConvReference.Forward(g, wts, x, n);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"y[{i}] = {y[i]}, direct {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BackwardAndUpdatePairsMatchTheDirectLoop(int c, int h, int w, int o, int k, int s, int p)
    {
        foreach (bool ioModel in new[] { false, true }) BackwardAndUpdatePairsMatchTheDirectLoopIn(c, h, w, o, k, s, p, ioModel);
    }

    private static void BackwardAndUpdatePairsMatchTheDirectLoopIn(int c, int h, int w, int o, int k, int s, int p, bool ioModel)
    {
        var g = new ConvGeometry(new TensorShape(c, h, w), o, k, s, p);
        const int n = 3;
        var (layer, wts, x) = Make(g, n, 8, ioModel);
        var y = new float[n * g.Output.Size];
        layer.Forward(x, n, y);
        var gy = new float[y.Length];
        var rng = new Xoshiro256(9);
        rng.FillGaussian(gy, 1.0);
        var dx = new float[x.Length];
        dx.AsSpan().Fill(float.NaN); // every element must be written
        layer.Backward(x, y, gy, n, dx);
        var (edx, edw) = ConvReference.Backward(g, wts, x, gy, n);
        for (int i = 0; i < dx.Length; i++) Assert.True(Math.Abs(dx[i] - edx[i]) <= 1e-4 * (1 + Math.Abs(edx[i])), $"dx[{i}] = {dx[i]}, direct {edx[i]}");

        // The rule sees n x P pairs whose outer products sum to dL/dW.
        int rows = g.OutChannels, cols = g.PatchSize + 1, pairs = n * layer.Positions;
        ReadOnlySpan<float> d = layer.PairDeltas(gy, n), xs = layer.PairInputs(n);
        Assert.Equal(pairs * rows, d.Length);
        Assert.Equal(pairs * cols, xs.Length);
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < cols; q++)
            {
                double sum = 0;
                for (int t = 0; t < pairs; t++) sum += (double)d[t * rows + r] * xs[t * cols + q];
                Assert.True(Math.Abs(sum - edw[r * cols + q]) <= 1e-4 * (1 + Math.Abs(edw[r * cols + q])), $"dW[{r},{q}] = {sum}, direct {edw[r * cols + q]}");
            }
        // The other layout holds the same pairs: pair p of sample j is column p of block j.
        ReadOnlySpan<float> dc = layer.PairDeltaColumns(gy, n), xc = layer.PairInputColumns(n);
        int positions = layer.Positions;
        for (int j = 0; j < n; j++)
            for (int q = 0; q < positions; q++)
            {
                for (int r = 0; r < rows; r++) Assert.Equal(d[(j * positions + q) * rows + r], dc[(j * rows + r) * positions + q]);
                for (int i = 0; i < cols; i++) Assert.Equal(xs[(j * positions + q) * cols + i], xc[(j * cols + i) * positions + q]);
            }
    }

    [Fact]
    public void MaxPoolingRoutesTiesToTheFirstMaximum()
    {
        // ReLU outputs tie at zero all the time: the gradient must go to the window's first maximum, in window order.
        var pool = new PoolLayer(PoolKind.Max, 2, new TensorShape(1, 2, 4));
        pool.EnsureCapacity(1);
        float[] x = [0, 0, 1, 3,
                     0, 0, 3, 2]; // window 0: all zero; window 1: 3 at (0, 1) and at (1, 0)
        var y = new float[2];
        pool.Forward(x, 1, y);
        Assert.Equal([0f, 3f], y);
        var dx = new float[8];
        pool.Backward(x, y, [10f, 20f], 1, dx);
        Assert.Equal([10f, 0, 0, 20f, 0, 0, 0, 0], dx);
    }

    [Theory]
    [InlineData(PoolKind.Max, 2, 2, 4, 4)]
    [InlineData(PoolKind.Max, 3, 1, 7, 8)]
    [InlineData(PoolKind.Average, 2, 3, 5, 6)]
    [InlineData(PoolKind.Average, 3, 2, 6, 7)]
    public void PoolingMatchesItsDefinitionAndRoutesTheGradient(PoolKind kind, int size, int ch, int h, int w)
    {
        var shape = new TensorShape(ch, h, w);
        var pool = new PoolLayer(kind, size, shape);
        const int n = 2;
        pool.EnsureCapacity(n);
        var x = new float[n * shape.Size];
        new Xoshiro256(3).FillGaussian(x, 1.0);
        var y = new float[n * pool.Output.Size];
        pool.Forward(x, n, y);
        double[] expected = ConvReference.Pool(kind, size, shape, x, n);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 5);

        // The gradient is the adjoint: <gy, Pool(x + e_i)> - <gy, Pool(x)> for small steps = dx[i] (pool is piecewise linear).
        var gy = new float[y.Length];
        new Xoshiro256(4).FillGaussian(gy, 1.0);
        var dx = new float[x.Length];
        pool.Backward(x, y, gy, n, dx);
        const float eps = 1e-3f;
        for (int i = 0; i < x.Length; i++)
        {
            float orig = x[i];
            x[i] = orig + eps; double up = Dot(gy, ConvReference.Pool(kind, size, shape, x, n));
            x[i] = orig - eps; double down = Dot(gy, ConvReference.Pool(kind, size, shape, x, n));
            x[i] = orig;
            Assert.True(Math.Abs((up - down) / (2 * eps) - dx[i]) <= 1e-2, $"dx[{i}] = {dx[i]}, finite difference {(up - down) / (2 * eps)}");
        }
    }

    private static double Dot(float[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    [Fact]
    public void ImpossibleGeometriesAreRefusedWithTheLayerNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvGeometry(new TensorShape(1, 4, 4), 2, 5).Validate("conv2k5"));
        Assert.Contains("conv2k5", e.Message);
        Assert.Contains("larger than the padded input", e.Message);
        Assert.Throws<ArgumentException>(() => new ConvGeometry(new TensorShape(1, 4, 4), 0, 3).Validate("x"));
        Assert.Throws<ArgumentException>(() => new ConvGeometry(new TensorShape(1, 4, 4), 1, 3, 0).Validate("x"));
        Assert.Throws<ArgumentException>(() => new PoolLayer(PoolKind.Max, 5, new TensorShape(1, 4, 4)));
        var tile = new CrossbarTile(2, 9);
        Assert.Throws<ArgumentException>(() => new Conv2dLayer(new ConvGeometry(new TensorShape(2, 4, 4), 2, 3), tile, new SgdRule(2, 9))); // needs 2 x 19
    }
}
