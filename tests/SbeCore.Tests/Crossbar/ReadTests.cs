using SbeCore.Crossbar;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

public class ReadTests
{
    private const int Rows = 12, Cols = 17;

    private static CrossbarTile TileWith(IOConfig forward, IOConfig backward, ulong seed = 3)
    {
        var tile = new CrossbarTile(Rows, Cols, new TileConfig { Forward = forward, Backward = backward }, seed);
        var rng = new Xoshiro256(seed);
        tile.SetWeights(Uniform(ref rng, Rows * Cols, 0.5f));
        return tile;
    }

    private static double[] Exact(CrossbarTile tile, float[] input, int n, bool transposed)
    {
        int inLen = transposed ? Rows : Cols, outLen = transposed ? Cols : Rows;
        var y = new double[n * outLen];
        for (int s = 0; s < n; s++)
            for (int o = 0; o < outLen; o++)
            {
                double sum = 0;
                for (int i = 0; i < inLen; i++)
                    sum += (double)(transposed ? tile.Weights[i * Cols + o] : tile.Weights[o * Cols + i]) * input[s * inLen + i];
                y[s * outLen + o] = sum;
            }
        return y;
    }

    [Fact]
    public void PerfectReadsAreExactMatrixProducts()
    {
        var tile = TileWith(IOConfig.Perfect, IOConfig.Perfect);
        var rng = new Xoshiro256(2);
        var x = Uniform(ref rng, 5 * Cols); var e = Uniform(ref rng, 5 * Rows);
        var y = new float[5 * Rows]; var z = new float[5 * Cols];
        tile.Read(x, 5, y); tile.ReadTransposed(e, 5, z);
        var ey = Exact(tile, x, 5, false); var ez = Exact(tile, e, 5, true);
        for (int i = 0; i < y.Length; i++) Assert.Equal(ey[i], y[i], 1e-5);
        for (int i = 0; i < z.Length; i++) Assert.Equal(ez[i], z[i], 1e-5);
    }

    [Fact]
    public void QuantisedNoiseFreeReadIsWithinOneConverterStepPerStage()
    {
        var io = new IOConfig { OutNoise = 0, WNoise = 0, OutBound = 1000, BoundManagement = BoundManagement.None };
        var tile = TileWith(io, io);
        var rng = new Xoshiro256(4);
        var x = Uniform(ref rng, 6 * Cols, 2f);
        var y = new float[6 * Rows];
        tile.Read(x, 6, y);
        var exact = Exact(tile, x, 6, false);
        for (int s = 0; s < 6; s++)
        {
            var xs = x.AsSpan(s * Cols, Cols);
            float scale = 0; foreach (var v in xs) scale = MathF.Max(scale, MathF.Abs(v));
            double inStep = io.InpRes * 2 * io.InpBound, outStep = io.OutRes * 2 * io.OutBound;
            for (int o = 0; o < Rows; o++)
            {
                double rowAbs = 0; for (int j = 0; j < Cols; j++) rowAbs += Math.Abs(tile.Weights[o * Cols + j]);
                double tolerance = scale * (rowAbs * inStep / 2 + outStep / 2) + 1e-5;
                Assert.InRange(y[s * Rows + o], exact[s * Rows + o] - tolerance, exact[s * Rows + o] + tolerance);
                // The output sits on the ADC grid (scaled back by the input's abs-max).
                double level = y[s * Rows + o] / scale / outStep;
                Assert.Equal(Math.Round(level), level, 1e-3);
            }
        }
    }

    [Fact]
    public void OutputsClipAtOutBoundWithoutBoundManagementAndNotWithIt()
    {
        var clip = new IOConfig { OutNoise = 0, OutRes = 0, InpRes = 0, OutBound = 0.5f, BoundManagement = BoundManagement.None };
        var managed = clip with { BoundManagement = BoundManagement.Iterative };
        var a = TileWith(clip, clip); var b = TileWith(managed, managed);
        var x = Enumerable.Repeat(1f, Cols).ToArray();
        var ya = new float[Rows]; var yb = new float[Rows];
        a.Read(x, 1, ya); b.Read(x, 1, yb);
        var exact = Exact(a, x, 1, false);
        bool anyClipped = false;
        for (int o = 0; o < Rows; o++)
        {
            Assert.InRange(ya[o], -0.5f, 0.5f);
            anyClipped |= Math.Abs(exact[o]) > 0.5;
            Assert.Equal(exact[o], yb[o], 1e-4); // iterative halving avoided the clip (no quantisation here)
        }
        Assert.True(anyClipped);
    }

    [Fact]
    public void OutputAndWeightNoiseHaveTheConfiguredSpread()
    {
        const int n = 4000;
        var io = new IOConfig { InpRes = 0, OutRes = 0, OutBound = float.PositiveInfinity, OutNoise = 0.05f, WNoise = 0.02f, NoiseManagement = NoiseManagement.None, BoundManagement = BoundManagement.None };
        var tile = TileWith(io, IOConfig.Perfect);
        var x = new float[n * Cols];
        var rng = new Xoshiro256(8);
        var one = Uniform(ref rng, Cols);
        for (int s = 0; s < n; s++) one.CopyTo(x, s * Cols);
        var y = new float[n * Rows];
        tile.Read(x, n, y);
        var exact = Exact(tile, one, 1, false);
        double norm2 = one.Sum(v => (double)v * v);
        double sigma = Math.Sqrt(0.05 * 0.05 + 0.02 * 0.02 * norm2);
        int count = n * Rows;
        double sum = 0, sumSq = 0;
        for (int s = 0; s < n; s++)
            for (int o = 0; o < Rows; o++) { double r = y[s * Rows + o] - exact[o]; sum += r; sumSq += r * r; }
        double mean = sum / count, std = Math.Sqrt(sumSq / count - mean * mean);
        Assert.InRange(mean, -5 * sigma / Math.Sqrt(count), 5 * sigma / Math.Sqrt(count));
        Assert.InRange(std, sigma * (1 - 5 / Math.Sqrt(2.0 * count)), sigma * (1 + 5 / Math.Sqrt(2.0 * count)));
    }

    [Fact]
    public void ZeroInputGivesZeroOutputUnderAbsMax()
    {
        var tile = TileWith(new IOConfig(), new IOConfig());
        var y = new float[2 * Rows];
        tile.Read(new float[2 * Cols], 2, y);
        Assert.All(y, v => Assert.Equal(0f, v));
    }
}
