using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Tests.Crossbar;

/// <summary>A user model with five hidden parameters per device: two step sizes, two bounds' softness and an offset.</summary>
internal sealed class LeakyTwoLevelDevice : IDeviceModel
{
    public string Name => "LeakyTwoLevel";
    public float DwMin => 0.01f;
    public int ParametersPerDevice => 5;
    public void Validate() { }

    public void SampleDevice(ref Xoshiro256 rng, Span<float> p, out float wMin, out float wMax)
    {
        for (int i = 0; i < 5; i++) p[i] = (float)(0.5 + rng.NextDouble());
        wMin = -p[2]; wMax = p[3];
    }

    public float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> p, RandomStream random)
        => w + direction * DwMin * (direction > 0 ? p[0] : p[1]) * (1 + 0.1f * random.NextGaussian()) - 0.001f * p[4] * w;
}

public class CustomDeviceTests
{
    [Fact]
    public void UserModelGetsItsOwnParameterSliceAndBounds()
    {
        var tile = new CrossbarTile(6, 5, TileConfig.FromPreset(new LeakyTwoLevelDevice()), 3);
        Assert.Equal(5, tile.ParametersPerDevice);
        Assert.Equal(6 * 5 * 5, tile.DeviceParameters.Length);
        for (int k = 0; k < 30; k++)
        {
            Assert.Equal(-tile.DeviceParameters[5 * k + 2], tile.MinBounds[k]);
            Assert.Equal(tile.DeviceParameters[5 * k + 3], tile.MaxBounds[k]);
        }
        var rng = new Xoshiro256(4);
        for (int t = 0; t < 300; t++) tile.Update(0.2f, TileTestHelpers.Uniform(ref rng, 6), TileTestHelpers.Uniform(ref rng, 5));
        Assert.True(tile.Counters.TotalPulses > 1000);
        for (int k = 0; k < 30; k++) Assert.InRange(tile.Weights[k], tile.MinBounds[k], tile.MaxBounds[k]);
    }
}
