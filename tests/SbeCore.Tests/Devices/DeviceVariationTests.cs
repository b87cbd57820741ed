using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Devices;

public class DeviceVariationTests
{
    private const int Side = 200; // 40000 devices

    [Fact]
    public void ConstantStepSpreadsHaveTheConfiguredStatistics()
    {
        var device = new ConstantStepDevice { DwMin = 0.002f, DwMinDtod = 0.2f, UpDownDtod = 0.05f, WMax = 0.8f, WMin = -0.5f, WMaxDtod = 0.1f, WMinDtod = 0.15f };
        var tile = new CrossbarTile(Side, Side, new TileConfig { Device = device }, 77);
        int n = Side * Side;
        var gain = new double[n]; var asym = new double[n]; var hi = new double[n]; var lo = new double[n];
        var p = tile.DeviceParameters;
        for (int k = 0; k < n; k++)
        {
            double up = p[2 * k] / device.DwMin, down = p[2 * k + 1] / device.DwMin;
            gain[k] = (up + down) / 2; // = gain_ij
            asym[k] = (up - down) / 2; // = r_ij
            hi[k] = tile.MaxBounds[k] / device.WMax;
            lo[k] = tile.MinBounds[k] / device.WMin;
        }
        AssertNormal(gain, 1, 0.2, n);
        AssertNormal(asym, 0, 0.05, n);
        AssertNormal(hi, 1, 0.1, n);
        AssertNormal(lo, 1, 0.15, n);
    }

    [Fact]
    public void UpDownBiasMakesOneDirectionSmaller()
    {
        var device = new ConstantStepDevice { UpDown = 0.1f, DwMinDtod = 0, UpDownDtod = 0 };
        var tile = new CrossbarTile(2, 2, new TileConfig { Device = device }, 1);
        Assert.Equal(device.DwMin, tile.DeviceParameters[0], 1e-6f);        // up
        Assert.Equal(0.9f * device.DwMin, tile.DeviceParameters[1], 1e-6f); // down
    }

    [Fact]
    public void LinearStepGammaSpreadsHaveTheConfiguredStatistics()
    {
        var device = new LinearStepDevice { GammaUp = 0.4f, GammaDown = 0.2f, GammaUpDtod = 0.1f, GammaDownDtod = 0.05f, DwMinDtod = 0, UpDownDtod = 0 };
        var tile = new CrossbarTile(Side, Side, new TileConfig { Device = device }, 5);
        int n = Side * Side;
        var gUp = new double[n]; var gDown = new double[n];
        var p = tile.DeviceParameters;
        for (int k = 0; k < n; k++)
        {
            // slope_up = -gamma_up scale_up / w_max, slope_down = -gamma_down scale_down / w_min (mean bounds);
            // aihwkit spreads gamma additively: gamma_up_ij = |gamma_up + gamma_up_dtod xi|.
            gUp[k] = -p[4 * k + 2] * device.WMax / p[4 * k];
            gDown[k] = -p[4 * k + 3] * device.WMin / p[4 * k + 1];
        }
        AssertNormal(gUp, 0.4, 0.1, n);
        AssertNormal(gDown, 0.2, 0.05, n);
    }

    [Fact]
    public void EveryDeviceBracketsZeroEvenWithHugeSpread()
    {
        var device = new ConstantStepDevice { WMaxDtod = 3f, WMinDtod = 3f, DwMinDtod = 5f };
        var tile = new CrossbarTile(50, 50, new TileConfig { Device = device }, 2);
        for (int k = 0; k < 2500; k++)
        {
            Assert.True(tile.MinBounds[k] <= 0 && tile.MaxBounds[k] >= 0);
            Assert.True(tile.DeviceParameters[2 * k] >= 0 && tile.DeviceParameters[2 * k + 1] >= 0);
        }
    }

    // Sample mean within 5 standard errors, sample std within 5 standard errors of the std (sigma / sqrt(2n)).
    private static void AssertNormal(double[] v, double mean, double sigma, int n)
    {
        double m = v.Average();
        double s = Math.Sqrt(v.Sum(e => (e - m) * (e - m)) / (n - 1));
        Assert.InRange(m, mean - 5 * sigma / Math.Sqrt(n), mean + 5 * sigma / Math.Sqrt(n));
        Assert.InRange(s, sigma - 5 * sigma / Math.Sqrt(2.0 * n), sigma + 5 * sigma / Math.Sqrt(2.0 * n));
    }
}
