using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Fidelity;

// aihwkit's PCMPresetUnitCell (a OneSidedUnitCell of two PCM devices) driven by single pulses with a refresh check
// after every update call, recorded with both conductances (trajectories.json). aihwkit checks at the end of each
// update; SbeCore at each optimizer step (PostUpdateStep), called here after every pulse.
public class UnitCellFidelityTests
{
    private const string File = "trajectories.json";

    private static readonly UpdateConfig s_onePulse = new()
    {
        PulseType = PulseType.StochasticCompressed, DesiredBl = 1, FixedBl = true, UpdateBlManagement = false, UpdateManagement = false,
    };

    [Theory]
    [InlineData("OneSided_PCMPresetUnitCell_one_deterministic_refresh", 85)]
    [InlineData("OneSided_PCMPresetUnitCell_refresh_stochastic_writes", -1)]
    [InlineData("OneSided_PCMPresetUnitCell_refresh_single_pulse_write", -1)]
    public void PairTrajectoryIsAihwkits(string name, int deterministicPulses)
    {
        var c = AihwkitDevices.Case(File, name);
        var p = c.GetProperty("params");
        var first = c.GetProperty("unit_cell_devices")[0];
        var device = AihwkitDevices.Device(first.GetProperty("device").GetString()!, first.GetProperty("params"));
        Assert.False(p.GetProperty("copy_inverted").GetBoolean());
        var cell = new OneSidedUnitCell
        {
            Device = device, RefreshEvery = p.GetProperty("refresh_every").GetInt32(), UnitsInMbatch = p.GetProperty("units_in_mbatch").GetBoolean(),
            RefreshUpperThres = AihwkitDevices.F(p, "refresh_upper_thres"), RefreshLowerThres = AihwkitDevices.F(p, "refresh_lower_thres"),
            RefreshForward = AihwkitFixtures.ToIOConfig(p.GetProperty("refresh_forward")), RefreshUpdate = AihwkitDevices.Update(p.GetProperty("refresh_update")),
        };
        var tile = new CrossbarTile(1, 1, new TileConfig { Device = cell, Update = s_onePulse }, 3);
        tile.SetWeights([c.GetProperty("w0").GetSingle()]);
        var pulses = AihwkitDevices.Floats(c.GetProperty("pulses"));
        var w = AihwkitDevices.Floats(c.GetProperty("w"));
        var plus = AihwkitDevices.Floats(c.GetProperty("hidden").GetProperty("hidden_weights_1"));
        var minus = AihwkitDevices.Floats(c.GetProperty("hidden").GetProperty("hidden_weights_0"));
        // Without noise, a refresh rewrite is deterministic only while every firing probability clips to 1; the
        // recorded prefix up to the first stochastic rewrite must match bit for bit.
        int exact = deterministicPulses > 0 ? deterministicPulses : DeterministicPrefix(c, pulses.Length);
        for (int t = 0; t < exact; t++)
        {
            tile.Update(1f, [-pulses[t]], [1f]);
            tile.PostUpdateStep();
            var pair = tile.Pair!;
            Assert.True(plus[t] == pair.Plus.Weights[0] && minus[t] == pair.Minus.Weights[0] && w[t] == tile.Weights[0],
                $"{name}: after pulse {t + 1} aihwkit has g+ {plus[t]:R}, g- {minus[t]:R}, w {w[t]:R}; SbeCore {pair.Plus.Weights[0]:R}, {pair.Minus.Weights[0]:R}, {tile.Weights[0]:R}");
        }
        Assert.True(tile.Refreshes >= 1, "the recorded prefix includes a refresh");
    }

    // The prefix on which aihwkit's repeated runs agree (its later rewrites are random).
    private static int DeterministicPrefix(System.Text.Json.JsonElement c, int n)
    {
        var runs = c.GetProperty("w_repeats").EnumerateArray().Select(AihwkitDevices.Floats).Append(AihwkitDevices.Floats(c.GetProperty("w"))).ToArray();
        for (int t = 0; t < n; t++)
            if (runs.Any(r => r[t] != runs[0][t])) return t;
        return n;
    }
}
