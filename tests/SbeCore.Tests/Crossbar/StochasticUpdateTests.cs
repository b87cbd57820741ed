using SbeCore.Crossbar;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

public class StochasticUpdateTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)] // fixed BL 31 keeps every probability below 1 without update management
    public void MeanChangeOfManyUpdatesIsMinusLrDxTWithinBinomialTolerance(bool updateManagement, bool blManagement)
    {
        const int rows = 7, cols = 9, updates = 3000;
        const float lr = 0.01f;
        float dw = 1f / 1024;
        var tile = new CrossbarTile(rows, cols, Pulsed(CleanConstantStep(dw), blManagement: blManagement, updateManagement: updateManagement), seed: 11);
        var rng = new Xoshiro256(5);
        var d = Uniform(ref rng, rows, 0.8f);
        var x = Uniform(ref rng, cols, 1.0f);
        for (int t = 0; t < updates; t++) tile.Update(lr, d, x);

        int bl = tile.LastBl;
        Assert.Equal(blManagement ? (int)Math.Ceiling((double)lr * MaxAbs(x) * MaxAbs(d) / dw) : 31, bl);
        Assert.True(tile.LastMaxRowProbability <= 1 && tile.LastMaxColProbability <= 1);
        double zSquares = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                // Each update gives n ~ Binomial(BL, q) pulses, q = |lr d x| / (dw BL) (no probability clipped).
                double q = Math.Abs((double)lr * d[i] * x[j]) / (dw * bl);
                double mean = -(double)lr * d[i] * x[j] * updates;
                double sigma = dw * Math.Sqrt(updates * bl * q * (1 - q));
                double z = (tile.Weights[i * cols + j] - mean) / sigma;
                Assert.True(Math.Abs(z) < 5, $"device ({i},{j}): z = {z:F2}");
                zSquares += z * z;
            }
        }
        // The spread matches the binomial model too: sum z^2 ~ chi-square with 63 degrees of freedom.
        double dof = rows * cols;
        Assert.InRange(zSquares, dof - 5 * Math.Sqrt(2 * dof), dof + 5 * Math.Sqrt(2 * dof));
    }

    [Fact]
    public void UpdateManagementKeepsFiringProbabilitiesAtMostOne()
    {
        // x is 1e4 times larger than d: without update management the column probabilities exceed 1.
        const float lr = 0.001f;
        var rng = new Xoshiro256(3);
        var x = Uniform(ref rng, 20, 50f);
        var d = Uniform(ref rng, 10, 0.005f);
        var managed = new CrossbarTile(10, 20, Pulsed(CleanConstantStep(0.001f), updateManagement: true), 1);
        // aihwkit turns update management on whenever BL management is on: switch both off.
        var unmanaged = new CrossbarTile(10, 20, Pulsed(CleanConstantStep(0.001f), blManagement: false, updateManagement: false), 1);
        for (int t = 0; t < 50; t++)
        {
            var xs = Uniform(ref rng, 20, 50f);
            var ds = Uniform(ref rng, 10, 0.005f);
            managed.Update(lr, ds, xs);
            Assert.True(managed.LastMaxRowProbability <= 1.0000001f, $"row p = {managed.LastMaxRowProbability}");
            Assert.True(managed.LastMaxColProbability <= 1.0000001f, $"col p = {managed.LastMaxColProbability}");
            Assert.Equal(managed.LastMaxRowProbability, managed.LastMaxColProbability, 1e-4f);
        }
        unmanaged.Update(lr, d, x);
        Assert.True(unmanaged.LastMaxColProbability > 1, $"expected > 1 without update management, got {unmanaged.LastMaxColProbability}");
    }

    [Fact]
    public void BlManagementShortensTheTrainAndFixedBlCapsIt()
    {
        var tile = new CrossbarTile(4, 4, Pulsed(CleanConstantStep(0.01f)), 2);
        float[] d = [0.5f, -0.25f, 0.1f, 0], x = [1, 0.5f, -0.5f, 0.2f];
        tile.Update(0.03f, d, x); // 0.03 * 1 * 0.5 / 0.01 = 1.5 -> BL 2
        Assert.Equal(2, tile.LastBl);
        tile.Update(10f, d, x); // needs 500 -> capped at desired_bl 31
        Assert.Equal(31, tile.LastBl);
        // aihwkit: with BL management the train never exceeds desired_bl, fixed_bl or not.
        var notFixed = new CrossbarTile(4, 4, Pulsed(CleanConstantStep(0.01f)) with { Update = new UpdateConfig { FixedBl = false } }, 2);
        notFixed.Update(10f, d, x);
        Assert.Equal(31, notFixed.LastBl);
        // aihwkit: without any management and fixed_bl off, a learning rate above desired_bl steps lengthens the
        // train to ceil(lr / dw_min) with A = B = 1.
        var unmanaged = new CrossbarTile(4, 4, Pulsed(CleanConstantStep(0.01f)) with
        {
            Update = new UpdateConfig { FixedBl = false, UpdateBlManagement = false, UpdateManagement = false },
        }, 2);
        unmanaged.Update(10f, d, x);
        Assert.Equal((int)MathF.Ceiling(10f / 0.01f), unmanaged.LastBl);
        Assert.Equal(0.5f, unmanaged.LastMaxRowProbability); // A max|d| with A = 1
        Assert.Equal(1f, unmanaged.LastMaxColProbability);
    }

    [Fact]
    public void DeterministicImplicitGivesExactCounts()
    {
        const int rows = 6, cols = 8;
        const float lr = 0.02f, dw = 1f / 512;
        var tile = new CrossbarTile(rows, cols, Pulsed(CleanConstantStep(dw), PulseType.DeterministicImplicit), 4);
        var rng = new Xoshiro256(9);
        var d = Uniform(ref rng, rows);
        var x = Uniform(ref rng, cols);
        tile.Update(lr, d, x);

        // The documented recipe, recomputed here: BL = min(ceil(lr max|x| max|d| / dw), 31),
        // A = B = sqrt(lr / (dw BL)), balanced by sqrt(max|x| / max|d|).
        double xMax = MaxAbs(x), dMax = MaxAbs(d);
        int bl = (int)Math.Min(Math.Ceiling(lr * xMax * dMax / dw), 31);
        double a = Math.Sqrt(lr / (dw * (double)bl)) * Math.Sqrt(xMax / dMax);
        double b = Math.Sqrt(lr / (dw * (double)bl)) / Math.Sqrt(xMax / dMax);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                float px = (float)Math.Min(b * Math.Abs(x[j]), 1), pd = (float)Math.Min(a * Math.Abs(d[i]), 1);
                int n = (int)Math.Floor((double)bl * px * pd + 0.5);
                Assert.Equal(n, tile.Counters.PulsesPerDevice[i * cols + j]);
                float expected = -Math.Sign(d[i]) * Math.Sign(x[j]) * n * dw;
                Assert.Equal(expected, tile.Weights[i * cols + j]);
            }
        }
        Assert.True(tile.Counters.TotalPulses > 0);
    }

    [Fact]
    public void ConstantStepWithoutNoiseMovesInExactMultiplesOfDwMin()
    {
        const float dw = 1f / 1024;
        var tile = new CrossbarTile(12, 10, Pulsed(CleanConstantStep(dw)), 8);
        var rng = new Xoshiro256(1);
        for (int t = 0; t < 200; t++) tile.Update(0.05f, Uniform(ref rng, 12), Uniform(ref rng, 10));
        tile.UpdateDense(0.05f, Uniform(ref rng, 120), 1);
        bool moved = false;
        foreach (var w in tile.Weights)
        {
            float steps = w / dw;
            Assert.Equal(MathF.Round(steps), steps);
            moved |= w != 0;
        }
        Assert.True(moved);
        // With a step that is not a power of two the multiples hold up to float rounding of the sums.
        var decimalTile = new CrossbarTile(5, 5, Pulsed(CleanConstantStep(0.001f)), 8);
        for (int t = 0; t < 100; t++) decimalTile.Update(0.05f, Uniform(ref rng, 5), Uniform(ref rng, 5));
        for (int k = 0; k < 25; k++)
        {
            double steps = decimalTile.Weights[k] / 0.001;
            long pulses = decimalTile.Counters.PulsesPerDevice[k];
            Assert.True(Math.Abs(steps - Math.Round(steps)) < 1e-6 * 100 * Math.Max(1, pulses), $"{steps}");
        }
    }

    [Fact]
    public void SymmetricDeviceReturnsToStartAfterEqualUpAndDownPulses()
    {
        // Device-to-device gain spread is allowed: symmetric means scale_up == scale_down per device.
        var device = CleanConstantStep(0.001f, bound: 1f) with { DwMinDtod = 0.3f };
        var tile = new CrossbarTile(5, 7, Pulsed(device, PulseType.DeterministicImplicit), 12);
        var asymmetric = new CrossbarTile(5, 7, Pulsed(device with { UpDown = 0.2f }, PulseType.DeterministicImplicit), 12);
        var rng = new Xoshiro256(2);
        var d = Uniform(ref rng, 5);
        var x = Uniform(ref rng, 7);
        var minusX = x.Select(v => -v).ToArray();
        foreach (var t in new[] { tile, asymmetric })
        {
            for (int k = 0; k < 10; k++) t.Update(0.01f, d, x);
            for (int k = 0; k < 10; k++) t.Update(0.01f, d, minusX);
        }
        Assert.All(tile.Weights.ToArray(), w => Assert.Equal(0f, w, 1e-6f));
        Assert.True(tile.Counters.TotalPulses > 0);
        Assert.Contains(asymmetric.Weights.ToArray(), w => MathF.Abs(w) > 1e-3f);
    }

    [Fact]
    public void PulseCountersTrackTotalMaxMeanAndClipping()
    {
        var device = CleanConstantStep(0.01f, bound: 0.05f);
        var tile = new CrossbarTile(3, 3, Pulsed(device, PulseType.DeterministicImplicit), 1);
        float[] ones = [1, 1, 1];
        for (int t = 0; t < 4; t++) tile.Update(-0.03f, ones, ones); // 3 up pulses per device per write
        Assert.Equal(4, tile.Counters.RankOneWrites);
        Assert.Equal(12 * 9, tile.Counters.TotalPulses);
        Assert.Equal(12, tile.Counters.MaxPulsesPerDevice);
        Assert.Equal(12.0, tile.Counters.MeanPulsesPerDevice);
        // Bound 0.05 = 5 steps: of 12 pulses per device 7 are cut.
        Assert.Equal(7 * 9, tile.Counters.ClippedPulses);
        Assert.All(tile.Weights.ToArray(), w => Assert.Equal(0.05f, w));
        tile.Counters.Reset();
        Assert.Equal(0, tile.Counters.TotalPulses + tile.Counters.MaxPulsesPerDevice + tile.Counters.RankOneWrites);
    }

    [Fact]
    public void RankKIsKRankOneWritesAndDenseFollowsPulseSemantics()
    {
        var config = Pulsed(CleanConstantStep(1f / 256), PulseType.DeterministicImplicit);
        var a = new CrossbarTile(4, 5, config, 3);
        var b = new CrossbarTile(4, 5, config, 3);
        var rng = new Xoshiro256(8);
        var d = Uniform(ref rng, 8); var x = Uniform(ref rng, 10);
        float[] s = [1f, -0.5f];
        a.UpdateRankK(0.1f, s, d, x);
        b.Update(0.1f, d.AsSpan(0, 4), x.AsSpan(0, 5));
        b.Update(-0.05f, d.AsSpan(4, 4), x.AsSpan(5, 5));
        Assert.Equal(b.Weights.ToArray(), a.Weights.ToArray());
        Assert.Equal(2, a.Counters.RankOneWrites);

        var dense = new CrossbarTile(4, 5, config, 3);
        var g = Uniform(ref rng, 20);
        dense.UpdateDense(0.1f, g, 7);
        Assert.Equal(7, dense.Counters.RankOneWrites);
        for (int k = 0; k < 20; k++)
        {
            int n = (int)Math.Floor(Math.Abs(0.1 * g[k]) * 256 + 0.5);
            Assert.Equal(n, dense.Counters.PulsesPerDevice[k]);
            Assert.Equal(-Math.Sign(g[k]) * n / 256f, dense.Weights[k]);
        }
    }

    [Fact]
    public void StochasticDenseUpdateIsUnbiased()
    {
        const int devices = 400, repeats = 200;
        const float dw = 1f / 1024, lr = 1f;
        var tile = new CrossbarTile(20, 20, Pulsed(CleanConstantStep(dw)), 6);
        var g = new float[devices];
        var rng = new Xoshiro256(4);
        for (int k = 0; k < devices; k++) g[k] = (float)(rng.NextDouble() * 3 * dw); // 0..3 pulses
        for (int t = 0; t < repeats; t++) tile.UpdateDense(lr, g, 1);
        for (int k = 0; k < devices; k++)
        {
            double v = g[k] / dw, frac = v - Math.Floor(v);
            double mean = -repeats * g[k];
            double sigma = dw * Math.Sqrt(repeats * frac * (1 - frac)) + 1e-12;
            Assert.True(Math.Abs(tile.Weights[k] - mean) <= 5 * sigma + 1e-6, $"device {k}");
        }
    }

    [Fact]
    public void PulseTypeNoneIsExactThenClipped()
    {
        var device = CleanConstantStep(0.01f, bound: 0.5f);
        var tile = new CrossbarTile(2, 2, Pulsed(device, PulseType.None), 1);
        tile.Update(0.1f, [1f, -2f], [1f, 3f]);
        Assert.Equal(new[] { -0.1f, -0.3f, 0.2f, 0.5f }, tile.Weights.ToArray());
        Assert.Equal(1, tile.Counters.ClippedPulses); // 0.6 was clipped to 0.5
        Assert.Equal(0, tile.Counters.TotalPulses);
    }

    private static float MaxAbs(float[] v) => v.Max(MathF.Abs);
}
