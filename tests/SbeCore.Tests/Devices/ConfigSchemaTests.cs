using System.Reflection;
using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Devices;

/// <summary>The one parameter schema: complete, consistent with the records' Validate, and every path reaches the record.</summary>
public class ConfigSchemaTests
{
    // Settable on the C# record but fixed by aihwkit's model (SoftBoundsDevice has no gamma fields in aihwkit).
    private static readonly HashSet<(string, string)> s_fixed =
    [
        ("SoftBoundsDevice", "GammaUp"), ("SoftBoundsDevice", "GammaDown"), ("SoftBoundsDevice", "GammaUpDtod"),
        ("SoftBoundsDevice", "GammaDownDtod"), ("SoftBoundsDevice", "AllowIncreasing"), ("SoftBoundsDevice", "MeanBoundReference"),
        ("ConstantStepDevice", "WriteNoiseStd"), // aihwkit's ConstantStep has no write noise (Validate refuses it)
        ("TransferCompound", "SlowDevice"), // unit_cell_devices[1] in the JSON form
        ("TransferCompound", "GammaVec"),   // a list of numbers: C# API only
    ];

    public static TheoryData<string> SectionNames() => [.. ConfigSchema.Sections.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SectionNames))]
    public void EverySettablePropertyOfTheRecordIsInTheSchemaUnderItsOwnName(string sectionName)
    {
        var section = ConfigSchema.Section(sectionName);
        var settable = section.RecordType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name)
            .Where(n => !s_fixed.Contains((sectionName, n))).Order().ToArray();
        Assert.Equal(settable, section.Parameters.Select(p => p.Property).Order().ToArray());
        Assert.Equal(section.Parameters.Count, section.Parameters.Select(p => p.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SectionNames))]
    public void SchemaDefaultsAreTheRecordsDefaults(string sectionName)
    {
        var section = ConfigSchema.Section(sectionName);
        object record = section.CreateDefault();
        foreach (var p in section.Parameters)
        {
            object viaProperty = section.RecordType.GetProperty(p.Property)!.GetValue(record)!;
            Assert.Equal(p.Kind == ParameterKind.Enum ? viaProperty.ToString() : viaProperty, p.Get(record));
        }
    }

    public static TheoryData<string> AllPaths()
    {
        var data = new TheoryData<string>();
        foreach (var config in SampleConfigs()) foreach (string path in TileConfigPaths.Names(config)) data.Add($"{Key(config)}|{path}");
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void EveryPathSetsItsPropertyAndReadsBackUnchanged(string sample)
    {
        var (config, path) = Sample(sample);
        if (path.EndsWith(".type", StringComparison.Ordinal)) { Assert.Equal(ConfigSchema.SectionOf(DeviceAt(config, path)).Name, TileConfigPaths.Get(config, path)); return; }
        var (record, p) = Locate(config, path);
        string value = OtherValue(p, p.Get(record));
        var changed = TileConfigPaths.Set(config, path, value);
        Assert.Equal(value, TileConfigPaths.Get(changed, path));
        var (changedRecord, _) = Locate(changed, path);
        object property = changedRecord.GetType().GetProperty(p.Property)!.GetValue(changedRecord)!;
        Assert.Equal(value, p.Kind == ParameterKind.Enum ? property.ToString() : ConfigValues.ToText(property));
        Assert.NotEqual(config, changed); // the value really changed
        Assert.Equal(changed, TileConfigJson.Parse(TileConfigJson.Write(changed)));
        Assert.Equal(changed, new CrossbarTile(2, 3, changed, 7).Config);
    }

    [Fact]
    public void EveryParameterChangedAtOnceRoundTripsThroughJsonExactly()
    {
        foreach (var start in SampleConfigs())
        {
            var config = start;
            foreach (string path in TileConfigPaths.Names(start).Where(p => !p.EndsWith(".type", StringComparison.Ordinal)))
            {
                // with_reset_prob > 0 needs column transfers, which the path before it has just turned off.
                if (path == "device.with_reset_prob" && config.Device is TransferCompound { TransferColumns: false }) continue;
                var (record, p) = Locate(config, path);
                config = TileConfigPaths.Set(config, path, OtherValue(p, p.Get(record)));
            }
            string json = TileConfigJson.Write(config);
            var back = TileConfigJson.Parse(json);
            Assert.Equal(config, back);
            Assert.Equal(json, TileConfigJson.Write(back));
            foreach (string path in TileConfigPaths.Names(config)) Assert.Equal(TileConfigPaths.Get(config, path), TileConfigPaths.Get(back, path));
        }
    }

    public static TheoryData<string> BoundedPaths()
    {
        var data = new TheoryData<string>();
        foreach (var config in SampleConfigs())
            foreach (string path in TileConfigPaths.Names(config).Where(p => !p.EndsWith(".type", StringComparison.Ordinal)))
            {
                var (_, p) = Locate(config, path);
                if (p.Min is not null || p.Max is not null || p.Kind == ParameterKind.Float) data.Add($"{Key(config)}|{path}");
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(BoundedPaths))]
    public void OutOfRangeValuesAreRefusedNamingThePathAndTheRecordsValidateAgrees(string sample)
    {
        var (config, path) = Sample(sample);
        var (record, p) = Locate(config, path);
        var outside = new List<double> { double.NaN };
        if (!p.AllowsInfinity && p.Kind == ParameterKind.Float) outside.Add(double.PositiveInfinity);
        if (p.Min is { } lo) outside.Add(p.MinExclusive ? lo : lo - (p.Kind == ParameterKind.Int ? 1 : 1e-3));
        if (p.Max is { } hi) outside.Add(hi + (p.Kind == ParameterKind.Int ? 1 : 1e-3));
        foreach (double v in outside)
        {
            if (p.Kind == ParameterKind.Int && !double.IsFinite(v)) continue;
            string text = p.Kind == ParameterKind.Int ? ((int)v).ToString(System.Globalization.CultureInfo.InvariantCulture) : ConfigValues.ToText((float)v);
            var e = Assert.ThrowsAny<ArgumentException>(() => TileConfigPaths.Set(config, path, text));
            Assert.Contains(path, e.Message);
            // The same value put straight into the record (bypassing the schema): its own Validate refuses it too.
            object typed = p.Kind == ParameterKind.Int ? (object)(int)v : (float)v;
            object bad = p.With(IOPerfectOff(record), typed);
            Assert.ThrowsAny<ArgumentException>(() => Validate(bad));
        }
    }

    [Fact]
    public void UnknownNamesWrongTypesAndBadStructureAreRefusedNamingTheParameter()
    {
        var c = TileConfig.GokmenVlasov();
        AssertRefused(() => TileConfigPaths.Set(c, "device.dw_mn", "0.1"), "device.dw_mn");
        AssertRefused(() => TileConfigPaths.Set(c, "update.desired_bl", "1.5"), "update.desired_bl");
        AssertRefused(() => TileConfigPaths.Set(c, "forward.noise_management", "Loud"), "forward.noise_management");
        AssertRefused(() => TileConfigPaths.Set(c, "device.type", "FancyDevice"), "device.type");
        AssertRefused(() => TileConfigPaths.Set(c, "dw_min", "abc"), "device.dw_min");
        AssertRefused(() => TileConfigPaths.Set(c, "device.dw_min", "1e99"), "device.dw_min");
        AssertRefused(() => TileConfigPaths.Set(c, "device.write_noise_std", "1"), "device.write_noise_std"); // not a ConstantStep parameter
        AssertRefused(() => TileConfigPaths.Set(c, "w_min", "0.7"), "WMin"); // relational: below w_max
        AssertRefused(() => TileConfigJson.Parse("""{"device": {"type": "ConstantStepDevice", "dw_mn": 0.1}}"""), "device.dw_mn");
        AssertRefused(() => TileConfigJson.Parse("""{"device": {"type": "ConstantStepDevice", "dw_min": "0.1"}}"""), "device.dw_min");
        AssertRefused(() => TileConfigJson.Parse("""{"device": {"type": "ConstantStepDevice", "dw_min": -1}}"""), "device.dw_min");
        AssertRefused(() => TileConfigJson.Parse("""{"device": {"dw_min": 0.1}}"""), "device.type");
        AssertRefused(() => TileConfigJson.Parse("""{"update": {"fixed_bl": 1}}"""), "update.fixed_bl");
        AssertRefused(() => TileConfigJson.Parse("""{"forward": {"out_noise": 0.1, "out_noise": 0.2}}"""), "forward.out_noise");
        AssertRefused(() => TileConfigJson.Parse("""{"device": {"type": "OneSidedUnitCell", "unit_cell_devices": [{"type": "IdealDevice"}]}}"""), "device.unit_cell_devices.type");
        AssertRefused(() => TileConfigJson.Parse("""{"device": {"type": "OneSidedUnitCell", "unit_cell_devices": {"type": "ConstantStepDevice"}}}"""), "device.unit_cell_devices");
        AssertRefused(() => TileConfigJson.Parse("""{"devise": {}}"""), "devise");
        AssertRefused(() => TileConfigJson.Parse("""{"device": """), "not valid JSON");
    }

    [Fact]
    public void PartialJsonKeepsDefaultsAndBareNamesReachAUnitCellsDevice()
    {
        var c = TileConfigJson.Parse("""{"device": {"type": "LinearStep", "gamma_up": 0.5}, "forward": {"out_noise": 0}}""");
        Assert.Equal(new LinearStepDevice { GammaUp = 0.5f }, c.Device);
        Assert.Equal(new IOConfig { OutNoise = 0 }, c.Forward);
        Assert.Equal(IOConfig.Perfect, c.Backward);
        Assert.Equal(new UpdateConfig(), c.Update);
        var pcm = TileConfigPaths.Set(TileConfig.Pcm(), "w_max", "1.5");
        Assert.Equal(1.5f, ((OneSidedUnitCell)pcm.Device).Device.WMax);
        Assert.Equal(TileConfig.Pcm(), TileConfigJson.Parse(TileConfigJson.Write(TileConfig.Pcm())));
        var swapped = TileConfigPaths.Set(TileConfig.Pcm(), "device.unit_cell_devices.type", "PowStepDevice");
        Assert.Equal(new PowStepDevice(), ((OneSidedUnitCell)swapped.Device).Device);
    }

    [Fact]
    public void AParameterSetByPathChangesTheTilesBehaviour()
    {
        // One deterministic pulse moves a noise-free ConstantStep device by exactly dw_min.
        var config = TileConfigJson.Parse("""
            {"device": {"type": "ConstantStepDevice", "dw_min": 0.01, "dw_min_dtod": 0, "dw_min_std": 0, "up_down_dtod": 0, "w_max_dtod": 0, "w_min_dtod": 0},
             "update": {"pulse_type": "DETERMINISTIC_IMPLICIT"}}
            """);
        foreach (float dwMin in new[] { 0.01f, 0.03f })
        {
            var c = TileConfigPaths.Set(config, "dw_min", ConfigValues.ToText(dwMin));
            var tile = new CrossbarTile(1, 1, c, 1);
            tile.Update(-dwMin, [1f], [1f]);
            Assert.Equal(dwMin, tile.Weights[0], 1e-7f);
        }
    }

    [Fact]
    public void SchemaJsonListsEverySectionWithDefaultsAndRanges()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(TileConfigJson.WriteSchema());
        foreach (var section in ConfigSchema.Sections)
        {
            var list = doc.RootElement.GetProperty(section.Name);
            Assert.Equal(section.Parameters.Select(p => p.Name), list.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        }
        var dwMin = doc.RootElement.GetProperty("ConstantStepDevice").EnumerateArray().First(e => e.GetProperty("name").GetString() == "dw_min");
        Assert.Equal(0.001f, dwMin.GetProperty("default").GetSingle());
        Assert.Equal("> 0", dwMin.GetProperty("range").GetString());
    }

    private static void AssertRefused(Action action, string named)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Contains(named, e.Message);
    }

    // Presets of every device kind, plus the models without a preset.
    private static IEnumerable<TileConfig> SampleConfigs()
    {
        yield return new TileConfig();
        foreach (string name in TileConfig.PresetNames) yield return TileConfig.Preset(name);
        yield return TileConfig.FromPreset(new SoftBoundsDevice());
        yield return TileConfig.FromPreset(new PowStepDevice());
    }

    private static string Key(TileConfig c) => c.Device is IdealDevice ? "ideal" : TileConfig.PresetNames.FirstOrDefault(n => TileConfig.Preset(n) == c) ?? ConfigSchema.SectionOf(c.Device).Name;

    private static (TileConfig, string) Sample(string sample)
    {
        string[] parts = sample.Split('|');
        return (SampleConfigs().First(c => Key(c) == parts[0]), parts[1]);
    }

    private static IDeviceModel DeviceAt(TileConfig config, string typePath) => typePath == "device.type" ? config.Device
        : config.Device is TransferCompound t ? t.FastDevice : ((OneSidedUnitCell)config.Device).Device;

    // The record holding the path's last parameter, and that parameter.
    internal static (object Record, ConfigParameter Parameter) Locate(TileConfig config, string path)
    {
        object record = config;
        var section = ConfigSchema.Tile;
        string[] parts = path.Split('.');
        for (int i = 0; ; i++)
        {
            var p = section.Find(parts[i])!;
            if (i == parts.Length - 1) return (record, p);
            record = p.Get(record);
            section = record switch { IDeviceModel d => ConfigSchema.SectionOf(d), IOConfig => ConfigSchema.IO, _ => ConfigSchema.Update };
        }
    }

    // A valid value different from the current one (bounds kept: moves towards the middle of a two-sided range).
    internal static string OtherValue(ConfigParameter p, object current) => p.Kind switch
    {
        ParameterKind.Bool => (!(bool)current) ? "true" : "false",
        ParameterKind.Enum => p.EnumNames[(p.EnumNames.ToList().IndexOf((string)current) + 1) % p.EnumNames.Count],
        ParameterKind.Int => ConfigValues.ToText((int)current + (p.Max is { } hi && (int)current >= hi ? -1 : 1)),
        _ => ConfigValues.ToText(OtherFloat(p, (float)current)),
    };

    private static float OtherFloat(ConfigParameter p, float v) => (p.Min, p.Max) switch
    {
        ({ } lo, { } hi) => (float)((v + (v >= hi ? lo : hi)) / 2),
        (null, { }) => v - 0.125f,
        _ => v + 0.125f,
    };

    private static object IOPerfectOff(object record) => record is IOConfig io ? io with { IsPerfect = false } : record;

    private static void Validate(object record)
    {
        switch (record)
        {
            case IDeviceModel d: d.Validate(); break;
            case IOConfig io: io.Validate(); break;
            case UpdateConfig u: u.Validate(); break;
            default: throw new InvalidOperationException(record.GetType().Name);
        }
    }
}
