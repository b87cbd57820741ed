using System.Text.Json;
using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Fidelity;

// Single-pulse trajectories recorded from aihwkit (trajectories.json): the same device, the same pulses, the
// same weight after every pulse, bit for bit. Each call is one pulse in both simulators: desired_bl 1, no
// management, lr 1, |x| = |d| = 1, so both firing probabilities are >= 1.
public class TrajectoryFidelityTests
{
    private const string File = "trajectories.json";

    public static IEnumerable<object[]> SingleDeviceCases() => AihwkitDevices.CaseNames(File, c =>
        !c.TryGetProperty("kind", out _) && c.GetProperty("device").GetString() is { } d && d != "PCMPresetUnitCell" && AihwkitDevices.Modelled(d));

    public static IEnumerable<object[]> PerDeviceCases() => AihwkitDevices.CaseNames(File, c =>
        c.TryGetProperty("kind", out var k) && k.GetString() == "per_device" && AihwkitDevices.Modelled(c.GetProperty("device").GetString()!));

    private static readonly UpdateConfig s_onePulse = new()
    {
        PulseType = PulseType.StochasticCompressed, DesiredBl = 1, FixedBl = true, UpdateBlManagement = false, UpdateManagement = false,
    };

    [Theory]
    [MemberData(nameof(SingleDeviceCases))]
    public void SingleDeviceTrajectoryIsAihwkits(string name)
    {
        var c = AihwkitDevices.Case(File, name);
        var device = AihwkitDevices.Device(c.GetProperty("device").GetString()!, c.GetProperty("params"));
        Assert.Equal(c.GetProperty("granularity").GetSingle(), device.WeightGranularity);
        var tile = new CrossbarTile(1, 1, new TileConfig { Device = device, Update = s_onePulse }, 1);
        tile.SetWeights([c.GetProperty("w0").GetSingle()]);
        Assert.Equal(c.GetProperty("w_start").GetSingle(), tile.Weights[0]);
        var pulses = AihwkitDevices.Floats(c.GetProperty("pulses"));
        var expected = AihwkitDevices.Floats(c.GetProperty("w"));
        for (int t = 0; t < pulses.Length; t++)
        {
            tile.Update(1f, [-pulses[t]], [1f]);
            Assert.True(expected[t] == tile.Weights[0], $"{name}: after pulse {t + 1} aihwkit has w = {expected[t]:R}, SbeCore {tile.Weights[0]:R}");
        }
        Assert.Equal(pulses.Length, tile.Counters.TotalPulses);
    }

    // 4 x 4 devices with device-to-device variation: SbeCore's tile is given aihwkit's sampled hidden parameters
    // and must then move every device exactly as aihwkit did (each device on its own bounds, slopes and exponents).
    [Theory]
    [MemberData(nameof(PerDeviceCases))]
    public void PerDeviceTrajectoriesAreAihwkits(string name)
    {
        var c = AihwkitDevices.Case(File, name);
        var device = AihwkitDevices.Device(c.GetProperty("device").GetString()!, c.GetProperty("params"));
        var tile = new CrossbarTile(4, 4, new TileConfig { Device = device, Update = s_onePulse }, 1);
        var h = c.GetProperty("hidden_parameters");
        float[] max = AihwkitDevices.Floats(h.GetProperty("max_bound")), min = AihwkitDevices.Floats(h.GetProperty("min_bound"));
        float[] up = AihwkitDevices.Floats(h.GetProperty("dwmin_up")), down = AihwkitDevices.Floats(h.GetProperty("dwmin_down"));
        int per = device.ParametersPerDevice;
        var p = new float[16 * per];
        float[] wMin = (float[])min.Clone(), wMax = (float[])max.Clone();
        for (int k = 0; k < 16; k++)
        {
            p[k * per] = up[k]; p[k * per + 1] = down[k];
            switch (device)
            {
                case LinearStepDevice:
                    p[k * per + 2] = AihwkitDevices.Floats(h.GetProperty("slope_up"))[k];
                    p[k * per + 3] = AihwkitDevices.Floats(h.GetProperty("slope_down"))[k];
                    break;
                case PowStepDevice:
                    p[k * per + 2] = AihwkitDevices.Floats(h.GetProperty("gamma_up"))[k];
                    p[k * per + 3] = AihwkitDevices.Floats(h.GetProperty("gamma_down"))[k];
                    break;
                case SoftBoundsReferenceDevice:
                    float reference = AihwkitDevices.Floats(h.GetProperty("reference"))[k];
                    p[k * per + 2] = reference; p[k * per + 3] = min[k]; p[k * per + 4] = max[k];
                    wMin[k] = min[k] - reference; wMax[k] = max[k] - reference;
                    break;
            }
        }
        tile.SetDeviceState(p, wMin, wMax);
        if (device.UsesPersistentWeight) throw new NotSupportedException($"{name}: write noise makes the visible trajectory random; the case must switch it off.");
        tile.SetWeights(new float[16]);

        var summary = c.GetProperty("pulses_summary");
        int ups = summary.GetProperty("up").GetInt32(), downs = summary.GetProperty("down").GetInt32();
        var checkpoints = c.GetProperty("checkpoints_after_n_pulses").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var expected = c.GetProperty("w_at_checkpoints").EnumerateArray().Select(AihwkitDevices.Floats).ToArray();
        float[] ones = [1, 1, 1, 1], upD = [-1, -1, -1, -1], downD = [1, 1, 1, 1];
        int next = 0;
        for (int t = 1; t <= ups + downs; t++)
        {
            tile.Update(1f, t <= ups ? upD : downD, ones);
            if (next < checkpoints.Length && checkpoints[next] == t)
            {
                for (int k = 0; k < 16; k++)
                    Assert.True(expected[next][k] == tile.Weights[k], $"{name}: device {k} after {t} pulses: aihwkit {expected[next][k]:R}, SbeCore {tile.Weights[k]:R}");
                next++;
            }
        }
        Assert.Equal(checkpoints.Length, next);
    }
}
