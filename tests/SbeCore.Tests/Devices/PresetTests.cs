using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Devices;

// Values as documented (DEVICES.md: aihwkit's defaults and presets).
public class PresetTests
{
    [Fact]
    public void ModelDefaultsAreAihwkits()
    {
        var c = new ConstantStepDevice();
        Assert.Equal((0.001f, 0.3f, 0.3f, 0f, 0.01f), (c.DwMin, c.DwMinDtod, c.DwMinStd, c.UpDown, c.UpDownDtod));
        Assert.Equal((0.6f, -0.6f, 0.3f, 0.3f), (c.WMax, c.WMin, c.WMaxDtod, c.WMinDtod));
        var l = new LinearStepDevice();
        Assert.Equal((0f, 0f, 0.05f, 0.05f, true), (l.GammaUp, l.GammaDown, l.GammaUpDtod, l.GammaDownDtod, l.MultNoise));
        var s = new SoftBoundsDevice();
        Assert.Equal((1f, 1f, true), (s.GammaUp, s.GammaDown, s.MultNoise));
        var e = new ExpStepDevice();
        Assert.Equal((12.44625f, 12.78785f, 0.244f, 0.2425f), (e.GammaUp, e.GammaDown, e.A, e.B));
        var p = new PowStepDevice();
        Assert.Equal((1f, 0.1f, 0f), (p.PowGamma, p.PowGammaDtod, p.PowUpDown));
        var u = new UpdateConfig();
        Assert.Equal((PulseType.StochasticCompressed, 31, true, true, true, 1f), (u.PulseType, u.DesiredBl, u.FixedBl, u.UpdateBlManagement, u.UpdateManagement, u.UmGradScale));
        var io = new IOConfig();
        Assert.Equal((1f / 126, 1f, 1f / 510, 12f, 0.06f, 0f), (io.InpRes, io.InpBound, io.OutRes, io.OutBound, io.OutNoise, io.WNoise));
        Assert.Equal(NoiseManagement.AbsMax, io.NoiseManagement);
    }

    [Fact]
    public void PresetsCarryTheDocumentedValues()
    {
        var idealized = DevicePresets.Idealized();
        Assert.Equal((0.0002f, 1f, -1f, 0f), (idealized.DwMin, idealized.WMax, idealized.WMin, idealized.UpDownDtod));
        var gv = DevicePresets.GokmenVlasov();
        Assert.Equal((0.0016f, 1f, -1f), (gv.DwMin, gv.WMax, gv.WMin));
        Assert.InRange((gv.WMax - gv.WMin) / gv.DwMin, 1200, 1300); // "about 1200 states"
        var cap = DevicePresets.Capacitor();
        Assert.Equal((0.005f, 1f, -1f, 0.05f, 0.05f), (cap.DwMin, cap.WMax, cap.WMin, cap.GammaUp, cap.GammaDown));
        var ecram = DevicePresets.EcRam();
        Assert.Equal((0.002f, 1.1724f, -0.8276f, 0.1153f, 0.5085f), (ecram.DwMin, ecram.WMax, ecram.WMin, ecram.GammaUp, ecram.GammaDown));
        var sb = DevicePresets.ReRamSB();
        Assert.Equal((0.002f, 1.25f, -0.75f, false, 3.75f, 56f), (sb.DwMin, sb.WMax, sb.WMin, sb.MultNoise, sb.DwMinStd, sb.WriteNoiseStd));
        Assert.IsType<SoftBoundsReferenceDevice>(sb);
        var es = DevicePresets.ReRamES();
        Assert.Equal((0.00135f, 1f, -1f, 75f), (es.DwMin, es.WMax, es.WMin, es.WriteNoiseStd));
        Assert.Equal((1e6f, 0.3f), (cap.Lifetime, cap.LifetimeDtod));
        var pcm = DevicePresets.Pcm();
        Assert.Equal((0.01f, 2f, 0f, 0.042f, 0.108f, 0.01f, 0.02f), (pcm.DwMin, pcm.WMax, pcm.WMin, pcm.DwMinStdAdd, pcm.DwMinStdSlope, pcm.Reset, pcm.ResetDtod));
        Assert.IsType<ExpStepDevice>(pcm);
        var cell = DevicePresets.PcmUnitCell();
        Assert.Equal((1, true, 0.75f, 0.25f), (cell.RefreshEvery, cell.UnitsInMbatch, cell.RefreshUpperThres, cell.RefreshLowerThres));
        Assert.Equal(pcm, cell.Device);
        Assert.Equal(TileConfig.PresetIO(), cell.RefreshForward);
        Assert.Equal(TileConfig.PresetUpdate(), cell.RefreshUpdate);

        var io = TileConfig.PresetIO();
        Assert.Equal((1f / 126, 1f / 510, 20f, 0.1f, BoundManagement.Iterative), (io.InpRes, io.OutRes, io.OutBound, io.OutNoise, io.BoundManagement));
        foreach (var preset in new[] { TileConfig.Idealized(), TileConfig.GokmenVlasov(), TileConfig.Capacitor(), TileConfig.EcRam(), TileConfig.EcRamMO(), TileConfig.ReRamSB(), TileConfig.ReRamES(), TileConfig.Pcm() })
        {
            preset.Validate();
            Assert.Equal(31, preset.Update.DesiredBl);
            Assert.Equal(io, preset.Forward);
            _ = new CrossbarTile(3, 3, preset, 1);
        }
    }

    [Fact]
    public void PcmPresetIsAPairOfOneSidedDevices()
    {
        // w = g+ - g- with each device in [0, w_max_ij], w_max 2 (1 + 0.1 xi): the weight spans [-g-max, g+max].
        var tile = new CrossbarTile(10, 10, TileConfig.Pcm(), 4);
        Assert.IsType<OneSidedUnitCell>(tile.Config.Device);
        Assert.All(tile.MinBounds.ToArray(), b => Assert.True(b < -1.2f && b > -2.8f));
        Assert.All(tile.MaxBounds.ToArray(), b => Assert.True(b > 1.2f && b < 2.8f));
    }
}

public class PresetByNameTests
{
    [Fact]
    public void PresetsResolveByNameAndUnknownNamesThrow()
    {
        foreach (var name in TileConfig.PresetNames) Assert.IsNotType<IdealDevice>(TileConfig.Preset(name).Device);
        Assert.Equal(TileConfig.EcRam(), TileConfig.Preset("ecram"));
        Assert.IsType<IdealDevice>(TileConfig.Preset("Ideal").Device);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => TileConfig.Preset("flash")).ParamName);
    }
}
