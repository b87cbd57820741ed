using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Tests.Devices;

public class DeviceStepTests
{
    private static readonly RandomStream s_random = new(1);

    [Fact]
    public void SoftBoundsStepShrinksLinearlyToZeroAtTheBound()
    {
        var device = new SoftBoundsDevice { DwMinStd = 0, WMax = 1, WMin = -1 };
        float[] p = [0.01f, 0.01f, -0.01f, 0.01f]; // scale 0.01, slope_up = -scale / w_max, slope_down = -scale / w_min
        Assert.Equal(0.01f, device.Pulse(0, 1, -1, 1, p, s_random), 1e-6f);
        Assert.Equal(0.5f + 0.005f, device.Pulse(0.5f, 1, -1, 1, p, s_random), 1e-6f);
        Assert.Equal(1f, device.Pulse(1f, 1, -1, 1, p, s_random), 1e-6f);
        Assert.Equal(-1f, device.Pulse(-1f, -1, -1, 1, p, s_random), 1e-6f);
    }

    [Fact]
    public void SoftBoundsTileSaturatesBelowTheBound()
    {
        var device = new SoftBoundsDevice { DwMin = 0.01f, DwMinStd = 0, DwMinDtod = 0, UpDownDtod = 0, WMax = 1, WMin = -1, WMaxDtod = 0, WMinDtod = 0 };
        var tile = new CrossbarTile(1, 1, new TileConfig { Device = device, Update = new UpdateConfig { PulseType = PulseType.DeterministicImplicit } }, 1);
        for (int t = 0; t < 2000; t++) tile.Update(-0.01f, [1f], [1f]); // one up pulse each
        float w = tile.Weights[0];
        // After n pulses w = 1 - (1 - 0.01)^n.
        Assert.Equal(1 - Math.Pow(0.99, tile.Counters.TotalPulses), w, 1e-4);
        Assert.Equal(0, tile.Counters.ClippedPulses);
    }

    [Fact]
    public void ExpStepStepsFollowTheFormula()
    {
        var device = new ExpStepDevice { DwMinStd = 0 };
        float[] p = [0.001f, 0.001f];
        float w = 0.3f, range = 1.2f;
        double z = 2 * device.A * w / range + device.B;
        double up = 0.001 * Math.Max(0, 1 - device.AUp * Math.Exp(device.GammaUp * z));
        double down = 0.001 * Math.Max(0, 1 - device.ADown * Math.Exp(-device.GammaDown * z));
        Assert.Equal(w + up, device.Pulse(w, 1, -0.6f, 0.6f, p, s_random), 1e-6f);
        Assert.Equal(w - down, device.Pulse(w, -1, -0.6f, 0.6f, p, s_random), 1e-6f);
    }

    [Fact]
    public void PowStepStepIsPowerOfRelativeDistance()
    {
        var device = new PowStepDevice { DwMinStd = 0 };
        float[] p = [0.01f, 0.02f, 2f, 0.5f];
        Assert.Equal(0.5f + 0.01f * MathF.Pow(0.25f, 2f), device.Pulse(0.5f, 1, -1, 1, p, s_random), 1e-6f);
        Assert.Equal(0.5f - 0.02f * MathF.Pow(0.75f, 0.5f), device.Pulse(0.5f, -1, -1, 1, p, s_random), 1e-6f);
    }

    [Fact]
    public void ConstantStepCycleNoiseHasTheConfiguredSpread()
    {
        // Aggregated n-pulse steps: sum of n steps s (1 + std xi) has mean n s and std s std sqrt(n).
        var device = new ConstantStepDevice { DwMin = 0.001f, DwMinStd = 0.3f, DwMinDtod = 0, UpDownDtod = 0, WMax = 100, WMin = -100, WMaxDtod = 0, WMinDtod = 0 };
        const int side = 100;
        var tile = new CrossbarTile(side, side, new TileConfig { Device = device, Update = new UpdateConfig { PulseType = PulseType.DeterministicImplicit, UpdateBlManagement = false, DesiredBl = 16 } }, 3);
        var ones = Enumerable.Repeat(1f, side).ToArray();
        // lr = 16 * dw -> p = 1 on every line, 16 coincidences on every device.
        tile.Update(-16 * 0.001f, ones, ones);
        var w = tile.Weights.ToArray().Select(v => (double)v).ToArray();
        Assert.All(tile.Counters.PulsesPerDevice.ToArray(), n => Assert.Equal(16, n));
        double mean = w.Average(), std = Math.Sqrt(w.Sum(v => (v - mean) * (v - mean)) / (w.Length - 1));
        double expectedStd = 0.001 * 0.3 * 4;
        int count = side * side;
        Assert.InRange(mean, 0.016 - 5 * expectedStd / Math.Sqrt(count), 0.016 + 5 * expectedStd / Math.Sqrt(count));
        Assert.InRange(std, expectedStd * (1 - 5 / Math.Sqrt(2.0 * count)), expectedStd * (1 + 5 / Math.Sqrt(2.0 * count)));
    }
}

public class ExpStepNoiseTests
{
    // aihwkit's ExpStep with dw_min_std_add or dw_min_std_slope: w += dw + dw_min_std (|dw| + add + slope |w|) xi.
    [Fact]
    public void AdditiveAndWeightProportionalNoiseHaveAihwkitsSpread()
    {
        var device = new ExpStepDevice { DwMinStd = 0.6f, DwMinStdAdd = 0.042f, DwMinStdSlope = 0.108f };
        var random = new SbeCore.Numerics.RandomStream(5);
        float[] p = [0.01f, 0.01f];
        const float w = 0.4f;
        float noiseless = (device with { DwMinStd = 0 }).Pulse(w, 1, -1, 1, p, random) - w;
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int t = 0; t < n; t++) { double dw = device.Pulse(w, 1, -1, 1, p, random) - w; sum += dw; sumSq += dw * dw; }
        double mean = sum / n, std = Math.Sqrt(sumSq / n - mean * mean);
        double expectedStd = 0.6 * (Math.Abs(noiseless) + 0.042 + 0.108 * w);
        Assert.InRange(mean, noiseless - 5 * expectedStd / Math.Sqrt(n), noiseless + 5 * expectedStd / Math.Sqrt(n));
        Assert.InRange(std, expectedStd * (1 - 5 / Math.Sqrt(2.0 * n)), expectedStd * (1 + 5 / Math.Sqrt(2.0 * n)));
    }
}
