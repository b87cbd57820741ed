using System.Text.Json;
using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Fidelity;

// aihwkit's TransferCompound (Tiki-Taka) on 4x6 and 10x101 tiles, recorded from its C++ simulator (transfer.json):
// single-pulse gradient writes onto the fast device A, transfers of columns or rows read exactly and written with
// every bit probability clipped to 1, so the run is deterministic. After every update call the visible weight,
// A and C must equal aihwkit's bit for bit. aihwkit transfers inside its update call (after each row of the batch);
// SbeCore does so after each rank-1 write (units_in_mbatch false) or at the optimizer step (true).
public class TransferFidelityTests
{
    private const string File = "transfer.json";

    public static IEnumerable<object[]> Cases() => AihwkitDevices.CaseNames(File);

    [Fact]
    public void EveryRecordedCaseIsTested() => Assert.Equal(4, Cases().Count());

    [Theory]
    [MemberData(nameof(Cases))]
    public void FastSlowAndVisibleWeightsAreAihwkits(string name)
    {
        var c = AihwkitDevices.Case(File, name);
        var cell = Compound(c);
        int rows = c.GetProperty("size")[0].GetInt32(), cols = c.GetProperty("size")[1].GetInt32();
        var tile = new CrossbarTile(rows, cols, new TileConfig { Device = cell, Update = AihwkitDevices.Update(c.GetProperty("update")) }, 5);
        tile.SetWeights(new float[rows * cols]);
        float lr = AihwkitDevices.F(c, "learning_rate");
        int steps = c.GetProperty("w").GetArrayLength(), exact = c.GetProperty("repeats_agree_steps").GetInt32();
        Assert.True(exact == steps, $"{name}: aihwkit's repeated runs agree on {exact} of {steps} steps");
        var x = c.GetProperty("x"); var d = c.GetProperty("d");
        for (int t = 0; t < steps; t++)
        {
            for (int r = 0; r < x[t].GetArrayLength(); r++)
                tile.Update(lr, AihwkitDevices.Floats(d[t][r]), AihwkitDevices.Floats(x[t][r]));
            tile.PostUpdateStep();
            AssertSame(name, t, "A (fast)", AihwkitDevices.Floats(c.GetProperty("fast")[t]), tile.Transfer!.Fast.Weights);
            AssertSame(name, t, "C (slow)", AihwkitDevices.Floats(c.GetProperty("slow")[t]), tile.Transfer!.Slow.Weights);
            AssertSame(name, t, "visible", AihwkitDevices.Floats(c.GetProperty("w")[t]), tile.Weights);
        }
        Assert.True(tile.Transfers > 0 && tile.TransferWrites >= tile.Transfers, $"{name}: the run transfers ({tile.Transfers} transfers, {tile.TransferWrites} writes)");
    }

    private static void AssertSame(string name, int step, string what, float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            if (expected[k] != actual[k])
                Assert.Fail($"{name}: after update call {step + 1}, {what} weight {k} is {actual[k]:R} in SbeCore, {expected[k]:R} in aihwkit");
    }

    // The recorded TransferCompound, refusing any setting SbeCore does not implement.
    private static TransferCompound Compound(JsonElement c)
    {
        var p = c.GetProperty("params");
        var devices = c.GetProperty("unit_cell_devices");
        Assert.Equal(2, devices.GetArrayLength());
        Assert.False(p.GetProperty("random_selection").GetBoolean());
        Assert.True(p.GetProperty("no_self_transfer").GetBoolean());
        Assert.Equal(0, p.GetProperty("transfer_every_vec").GetArrayLength());
        Assert.Equal(0, p.GetProperty("transfer_lr_vec").GetArrayLength());
        Assert.Equal(0, p.GetProperty("gamma_vec").GetArrayLength());
        PulsedDevice Device(int i) => AihwkitDevices.Device(devices[i].GetProperty("device").GetString()!, devices[i].GetProperty("params"));
        return new TransferCompound
        {
            FastDevice = Device(0), SlowDevice = Device(1), Gamma = AihwkitDevices.F(p, "gamma"),
            TransferEvery = AihwkitDevices.F(p, "transfer_every"), UnitsInMbatch = p.GetProperty("units_in_mbatch").GetBoolean(),
            NReadsPerTransfer = p.GetProperty("n_reads_per_transfer").GetInt32(), TransferColumns = p.GetProperty("transfer_columns").GetBoolean(),
            TransferLr = AihwkitDevices.F(p, "transfer_lr"), ScaleTransferLr = p.GetProperty("scale_transfer_lr").GetBoolean(),
            FastLr = AihwkitDevices.F(p, "fast_lr"), ScaleFastLr = p.GetProperty("scale_fast_lr").GetBoolean(),
            WithResetProb = AihwkitDevices.F(p, "with_reset_prob"),
            TransferForward = AihwkitFixtures.ToIOConfig(p.GetProperty("transfer_forward")),
            TransferUpdate = AihwkitDevices.Update(p.GetProperty("transfer_update")),
        };
    }
}
