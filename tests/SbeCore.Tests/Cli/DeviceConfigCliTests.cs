using System.Text.Json;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Tests.Devices;

namespace SbeCore.Tests.Cli;

/// <summary>`--device-param`, `--device-file` and `sbe device`: every parameter reaches the config and reads back unchanged.</summary>
public sealed class DeviceConfigCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-devcfg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ecram")]
    [InlineData("pcm")]
    [InlineData("reramsb")]
    [InlineData("ideal")]
    public void EveryParameterSetWithDeviceParamReadsBackUnchanged(string preset)
    {
        var expected = TileConfig.Preset(preset);
        var args = new List<string> { "device", "--device", preset };
        foreach (string path in TileConfigPaths.Names(expected).Where(p => !p.EndsWith(".type", StringComparison.Ordinal)))
        {
            var (record, p) = ConfigSchemaTests.Locate(expected, path);
            string value = ConfigSchemaTests.OtherValue(p, p.Get(record));
            expected = TileConfigPaths.Set(expected, path, value);
            args.Add("--device-param"); args.Add($"{path}={value}");
        }
        Assert.NotEqual(TileConfig.Preset(preset), expected);
        var (code, stdout, stderr) = SbeCli.Run([.. args]);
        Assert.True(code == 0, stderr);
        Assert.Equal(expected, TileConfigJson.Parse(stdout));
        // The printed file is a --device-file that gives the same config back.
        string file = Path.Combine(_dir, "cfg.json");
        File.WriteAllText(file, stdout);
        var (code2, stdout2, stderr2) = SbeCli.Run("device", "--device-file", file);
        Assert.True(code2 == 0, stderr2);
        Assert.Equal(stdout, stdout2);
        foreach (string path in TileConfigPaths.Names(expected).Take(5))
            Assert.Equal(TileConfigPaths.Get(expected, path), SbeCli.Run("device", "--device-file", file, "--get", path).Stdout.Trim());
    }

    [Theory]
    [InlineData("device.dw_mn", "--device-param", "dw_mn=0.1")]
    [InlineData("device.dw_min (DwMin) must be > 0", "--device-param", "dw_min=0")]
    [InlineData("update.desired_bl (DesiredBl) must be [1, 1024]", "--device-param", "update.desired_bl=2000")]
    [InlineData("forward.out_noise (OutNoise) expects a number", "--device-param", "forward.out_noise=loud")]
    [InlineData("expects name=value", "--device-param", "dw_min")]
    [InlineData("not both", "--device", "ecram", "--device-file", "x.json")]
    [InlineData("update.pulse_type", "--device-file", "x.json", "--pulse-type", "none")]
    public void BadParametersAreAOneLineErrorNamingTheParameter(string message, params string[] args)
    {
        var (code, _, stderr) = SbeCli.Run(args.Contains("--device") || args.Contains("--device-file") ? ["device", .. args] : ["device", "--device", "constantstep", .. args]);
        Assert.Equal(1, code);
        Assert.StartsWith("sbe: error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void BadDeviceFilesAreRefusedNamingTheFileAndParameter()
    {
        string file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, """{"device": {"type": "ConstantStepDevice", "w_max": "high"}}""");
        var (code, _, stderr) = SbeCli.Run("device", "--device-file", file);
        Assert.Equal(1, code);
        Assert.Contains("bad.json", stderr);
        Assert.Contains("device.w_max", stderr);
    }

    [Fact]
    public void TrainUsesTheParametersAndRecordsTheWholeConfig()
    {
        CliTests.WriteIdx(_dir, train: 20, test: 10);
        string outDir = Path.Combine(_dir, "o");
        var (code, _, stderr) = SbeCli.Run("train", "--data", _dir, "--hidden", "8", "--epochs", "1", "--out", outDir, "-m", "sgd",
            "--device", "constantstep", "--device-param", "dw_min=0.0125", "--device-param", "update.desired_bl=7");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var run = doc.RootElement.GetProperty("runs")[0];
        var config = TileConfigJson.Parse(run.GetProperty("deviceConfig").GetRawText());
        Assert.Equal(0.0125f, ((PulsedDevice)config.Device).DwMin);
        Assert.Equal(7, config.Update.DesiredBl);
        Assert.Equal(TileConfigPaths.Set(TileConfigPaths.Set(TileConfig.GokmenVlasov(), "dw_min", "0.0125"), "update.desired_bl", "7"), config);
        Assert.Contains("dw_min=0.0125", run.GetProperty("device").GetString());
    }
}

/// <summary>A device file in place of a preset name (sweeps: --devices ideal,cfg.json).</summary>
public sealed class DeviceCatalogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-devcat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AJsonSpecLoadsTheFileAndRefusesASuffixOrABadFile()
    {
        var config = TileConfigPaths.Set(TileConfig.EcRam(), "dw_min", "0.004");
        string file = Path.Combine(_dir, "mine.json");
        File.WriteAllText(file, TileConfigJson.Write(config));
        Assert.True(SbeCore.Experiments.DeviceCatalog.TryCreate(file, out var loaded, out string error), error);
        Assert.Equal(config, loaded);
        Assert.False(SbeCore.Experiments.DeviceCatalog.TryCreate(file + ":none", out _, out error));
        Assert.Contains("pulse-type suffix", error);
        File.WriteAllText(file, """{"device": {"type": "LinearStepDevice", "gamma_upp": 1}}""");
        Assert.False(SbeCore.Experiments.DeviceCatalog.TryCreate(file, out _, out error));
        Assert.Contains("device.gamma_upp", error);
        Assert.False(SbeCore.Experiments.DeviceCatalog.TryCreate(Path.Combine(_dir, "missing.json"), out _, out error));
        Assert.Contains("missing.json", error);
    }
}

/// <summary>`sbe tune` caches by device name: --device-param is refused (not silently ignored), a file is its name.</summary>
public sealed class TuneDeviceOptionTests
{
    [Fact]
    public void TuneRefusesDeviceParamInsteadOfIgnoringIt()
    {
        var (code, _, stderr) = SbeCli.Run("tune", "--device", "ecram", "--device-param", "dw_min=0.002");
        Assert.Equal(1, code);
        Assert.Contains("--device-file", stderr);
    }
}
