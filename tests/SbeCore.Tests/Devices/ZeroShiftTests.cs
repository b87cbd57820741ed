using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Tests.Devices;

public class ZeroShiftTests
{
    // An asymmetric LinearStep device (down steps 10% smaller, no spreads, no cycle noise): up 0.01 (1 - 0.1 w),
    // down 0.009 (1 + 0.5 w), equal at w = 0.001 / 0.0055.
    private static LinearStepDevice Asymmetric(bool zeroShift) => new()
    {
        DwMin = 0.01f, DwMinDtod = 0, DwMinStd = 0, UpDown = 0.1f, UpDownDtod = 0, WMax = 1, WMin = -1, WMaxDtod = 0, WMinDtod = 0,
        GammaUp = 0.1f, GammaDown = 0.5f, GammaUpDtod = 0, GammaDownDtod = 0, ZeroShift = zeroShift,
    };

    [Fact]
    public void TheReferenceIsTheSymmetryPointAndTheBoundsMoveWithIt()
    {
        var device = Asymmetric(true);
        var rng = new Xoshiro256(3);
        var p = new float[device.ParametersPerDevice];
        Assert.Equal(5, p.Length);
        device.SampleDevice(ref rng, p, out float lo, out float hi);
        float sp = (p[0] - p[1]) / (p[3] - p[2]);
        Assert.Equal(0.001f / 0.0055f, sp, 1e-4f);
        Assert.Equal(sp, p[4]);
        Assert.Equal(-1f - sp, lo, 1e-6f);
        Assert.Equal(1f - sp, hi, 1e-6f);
        // Weight 0 is the symmetry point: an up and a down pulse there are equal and opposite.
        var random = new RandomStream(1);
        Assert.Equal(-device.Pulse(0f, -1, lo, hi, p, random), device.Pulse(0f, 1, lo, hi, p, random), 1e-7f);
    }

    [Fact]
    public void AlternatingPulsesSettleAtWeightZeroOnlyWithZeroShift()
    {
        // Equal numbers of up and down pulses drift a LinearStep device to its symmetry point (the decay that
        // zero-shifting turns into a decay towards 0).
        foreach (bool shift in new[] { false, true })
        {
            var device = Asymmetric(shift);
            var tile = new CrossbarTile(1, 1, new TileConfig { Device = device, Update = new UpdateConfig { PulseType = PulseType.DeterministicImplicit } }, 5);
            tile.SetWeights([0.3f]);
            for (int t = 0; t < 4000; t++) tile.Update(t % 2 == 0 ? -0.01f : 0.01f, [1f], [1f]);
            float w = tile.Weights[0];
            if (shift) Assert.InRange(w, -0.011f, 0.011f);
            else Assert.InRange(w, 0.17f, 0.195f); // its symmetry point
        }
    }

    [Fact]
    public void OffByDefaultAndThenBitIdentical()
    {
        Assert.False(new LinearStepDevice().ZeroShift);
        Assert.False(DevicePresets.EcRam().ZeroShift);
        Assert.Equal(4, DevicePresets.EcRam().ParametersPerDevice);
        // The parameter draws of an unshifted device do not depend on the option's existence: same stream, same values.
        var a = new Xoshiro256(9); var b = new Xoshiro256(9);
        var pa = new float[5]; var pb = new float[4];
        DevicePresets.EcRam().SampleDevice(ref a, pb, out float lo0, out float hi0);
        (DevicePresets.EcRam() with { ZeroShift = true }).SampleDevice(ref b, pa, out float lo1, out float hi1);
        Assert.Equal(pb, pa.AsSpan(0, 4).ToArray());
        Assert.Equal(lo0 - pa[4], lo1, 1e-6f);
        Assert.Equal(hi0 - pa[4], hi1, 1e-6f);
    }

    [Fact]
    public void NoSymmetryPointInsideTheBoundsKeepsReferenceZero()
    {
        Assert.Equal(0f, LinearStepDevice.SymmetryPoint(0.01f, 0.01f, 0f, 0f, -1, 1)); // constant steps: none
        Assert.Equal(0f, LinearStepDevice.SymmetryPoint(0.02f, 0.01f, -0.001f, 0.001f, -1, 1)); // at 5, outside
    }

    [Fact]
    public void ItIsAConfigParameterAndRoundTrips()
    {
        var c = TileConfigJson.Parse("""{"device": {"type": "LinearStepDevice", "zero_shift": true}}""");
        Assert.True(((LinearStepDevice)c.Device).ZeroShift);
        Assert.Equal(c, TileConfigJson.Parse(TileConfigJson.Write(c)));
        Assert.ThrowsAny<ArgumentException>(() => TileConfigJson.Parse("""{"device": {"type": "LinearStepDevice", "zero_shift": 2}}"""));
    }
}
