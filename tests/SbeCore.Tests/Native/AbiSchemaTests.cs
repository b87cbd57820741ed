using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Native;
using SbeCore.Training;

namespace SbeCore.Tests.Native;

/// <summary>
/// One schema for C, C# and Python: sbecore.h, NativeStructs.cs and the Python binding describe the same structs and
/// enums by hand, so this suite reads all three (the header and the binding as text, the C# mirrors by reflection) and
/// fails when any two disagree on a struct's fields (names, order, offsets, sizes, kinds), its size, its version
/// constant, an enum constant's value, or the ABI version.
/// </summary>
public class AbiSchemaTests
{
    [Fact]
    public void TheThreeDescriptionsDescribeTheSameStructs()
    {
        var header = HeaderAbi.Structs();
        var managed = ManagedAbi.Structs();
        var python = PythonAbi.Structs();
        Assert.True(header.Count >= 6, $"read {header.Count} structs from sbecore.h");
        Assert.Equal(header.Keys.Order(), managed.Keys.Order());
        Assert.Equal(header.Keys.Order(), python.Keys.Order());
        foreach (var (name, c) in header)
        {
            Assert.Equal(c.Fields.Select(f => (name, f)), managed[name].Fields.Select(f => (name, f)));
            Assert.Equal(c.Fields.Select(f => (name, f)), python[name].Fields.Select(f => (name, f)));
            Assert.Equal((name, c.Size, c.Version), (name, managed[name].Size, managed[name].Version));
            Assert.Equal((name, c.Size, c.Version), (name, python[name].Size, python[name].Version));
        }
    }

    [Fact]
    public void ComputedLayoutIsTheRuntimes()
    {
        // The C and Python offsets are computed (AbiLayout.Lay); computed from the C# mirrors' own field sizes they
        // must give the runtime's offsets and sizes, or the comparison above would compare two wrong numbers.
        var managed = ManagedAbi.Structs();
        var aligns = new Dictionary<int, int>();
        foreach (var s in managed.Values.OrderBy(s => s.Fields.Any(f => f.Kind == 's')))
        {
            var (fields, size, align) = AbiLayout.Lay(s.Fields.Select(f => (f.Name, f.Size, f.Kind == 's' ? aligns[f.Size] : f.Size, f.Kind)));
            Assert.Equal(s.Fields, fields);
            Assert.Equal((s.Name, s.Size), (s.Name, size));
            aligns[s.Size] = align;
        }
        var c = HeaderAbi.Structs()["network_config"];   // a pointer after two uint32, a uint64 after an odd count, a nested struct
        Assert.Equal((8, 40, 48, 88), (Offset(c, "layer_sizes"), Offset(c, "seed"), Offset(c, "tile"), c.Size));
        var layer = HeaderAbi.Structs()["layer_config"];      // 14 uint32, then a uint64 and the nested tile config
        Assert.Equal((56, 64, 104), (Offset(layer, "seed"), Offset(layer, "tile"), layer.Size));
        var options = HeaderAbi.Structs()["rule_options"];    // a float among the uint32
        Assert.Equal((24, 40), (Offset(options, "oja_rate"), options.Size));
    }

    [Fact]
    public void TheLayerAndRuleOptionStructsAreInEveryDescription()
    {
        foreach (var name in new[] { "layer_config", "layer_counters", "rule_options" })
        {
            Assert.Contains(name, HeaderAbi.Structs().Keys);
            Assert.Contains(name, ManagedAbi.Structs().Keys);
            Assert.Contains(name, PythonAbi.Structs().Keys);
        }
    }

    private static int Offset(AbiStruct s, string field) => s.Fields.Single(f => f.Name == field).Offset;

    public static TheoryData<string, string, string?, string?, Type?, int> Enums => new()
    {
        // header enum, constant prefix, Python file, Python dict (name -> value), C# enum, C value - C# value
        { "sbe_pulse_type", "SBE_PULSE_", "tile.py", "PULSE_TYPES", typeof(PulseType), 1 },
        { "sbe_io", "SBE_IO_", "tile.py", "IO_MODES", null, 0 },
        { "sbe_initialization", "SBE_INIT_", "estimator.py", "INITIALIZATION", typeof(InitialState), 0 },
        { "sbe_magnitude", "SBE_MAGNITUDE_", "estimator.py", "MAGNITUDE", typeof(MagnitudeEstimate), 0 },
        { "sbe_activation", "SBE_ACTIVATION_", "network.py", "ACTIVATIONS", typeof(Activation), 0 },
        { "sbe_layer_kind", "SBE_LAYER_", "layer.py", "KINDS", null, 0 },
        { "sbe_status", "SBE_", null, null, typeof(SbeStatus), 0 },
    };

    [Theory]
    [MemberData(nameof(Enums))]
    public void EnumConstantsAgree(string cEnum, string prefix, string? pyFile, string? pyDict, Type? managed, int offset)
    {
        var constants = HeaderAbi.Enum(cEnum);
        Assert.NotEmpty(constants);
        if (pyFile is not null)
        {
            var dict = PythonAbi.Dict(pyFile, pyDict!);
            Assert.Equal(constants.Select(k => (k.Name[prefix.Length..].ToLowerInvariant(), k.Value.ToString())).Order(),
                         dict.Select(kv => (kv.Key, kv.Value)).Order());
        }
        if (managed is not null)
        {
            foreach (var (name, value) in constants)
            {
                string suffix = name[prefix.Length..];
                if (suffix.StartsWith("E_", StringComparison.Ordinal)) suffix = suffix[2..];   // SBE_E_BUSY -> Busy
                int managedValue = value - offset;
                if (managedValue < 0 && offset > 0) continue;                                   // SBE_PULSE_DEFAULT: "the preset's", no C# member
                string pascal = string.Concat(suffix.Split('_').Select(w => w[0] + w[1..].ToLowerInvariant()));
                Assert.True(Enum.TryParse(managed, pascal, out object? member), $"{name}: {managed.Name} has no member {pascal}");
                Assert.Equal((name, managedValue), (name, Convert.ToInt32(member)));
            }
        }
    }

    [Fact]
    public void PythonStatusNamesAreTheHeaders()
    {
        var header = HeaderAbi.Enum("sbe_status").Select(k => (k.Value.ToString(), k.Name)).Order();
        Assert.Equal(header, PythonAbi.Dict("_errors.py", "STATUS_NAMES").Select(kv => (kv.Key, kv.Value)).Order());
    }

    [Fact]
    public void AbiVersionIsOneNumberEverywhere()
    {
        Assert.Equal(HeaderAbi.Macro("SBE_ABI_VERSION_MAJOR"), (uint)ManagedAbi.ExportsConstant("AbiMajor"));
        Assert.Equal(HeaderAbi.Macro("SBE_ABI_VERSION_MINOR"), (uint)ManagedAbi.ExportsConstant("AbiMinor"));
        Assert.Equal((int)HeaderAbi.Macro("SBE_ABI_VERSION_MAJOR"), PythonAbi.Constant("_native.py", "ABI_MAJOR"));
        // Python's ABI_MINOR is the oldest minor the binding works with: at most the header's.
        Assert.InRange(PythonAbi.Constant("_native.py", "ABI_MINOR"), 0, (int)HeaderAbi.Macro("SBE_ABI_VERSION_MINOR"));
    }
}
