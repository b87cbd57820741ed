using System.Text.RegularExpressions;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Experiments;

namespace SbeCore.Tests.Devices;

/// <summary>The preset catalog (<see cref="TilePresets"/>) is the one list of device names: the name look-ups, the sweep
/// names, the C header's sbe_device enum and Python's preset functions agree with it.</summary>
public class TilePresetCatalogTests
{
    [Fact]
    public void EveryPresetResolvesUnderEverySpellingAndPresetsDiffer()
    {
        var configs = new List<TileConfig>();
        foreach (var p in TilePresets.All)
        {
            foreach (string spelling in new[] { p.Name, p.Name.ToUpperInvariant(), $" {p.Name.ToLowerInvariant()} ", string.Join('-', p.Name.Chunk(2).Select(c => new string(c))) })
            {
                Assert.True(TileConfig.TryPreset(spelling, out var config), spelling);
                Assert.Equal(p.Create(), config);
                Assert.True(TilePresets.TryFind(spelling, out var found));
                Assert.Same(p, found);
            }
            Assert.True(DeviceCatalog.TryCreate(p.Name.ToLowerInvariant(), out var swept, out _));
            Assert.Equal(p.Create(), swept);
            configs.Add(p.Create());
        }
        Assert.Equal(configs.Count, configs.Distinct().Count());
        Assert.Equal(new TileConfig(), TileConfig.Preset(TilePresets.IdealName));
        Assert.Equal(TilePresets.All.Skip(1).Select(p => p.Name), TileConfig.PresetNames);
        Assert.DoesNotContain(TilePresets.IdealName, TileConfig.PresetNames);
        Assert.False(TileConfig.TryPreset("constantstep", out _));
        Assert.Equal(TileConfig.GokmenVlasov(), DeviceCatalog.Create("constantstep"));
    }

    [Fact]
    public void SweepNamesAreTheCatalogsInOrder()
    {
        var names = DeviceCatalog.Names.ToList();
        Assert.Equal(TilePresets.All.Select(p => p.Name.ToLowerInvariant()), names.Where(n => n != "constantstep"));
        Assert.Equal(names.IndexOf("gokmenvlasov") - 1, names.IndexOf("constantstep"));
        Assert.Equal(string.Join(", ", names), DeviceCatalog.PresetNames);
    }

    [Fact]
    public void AbiIdsAreZeroToNMinusOneAndTheHeaderEnumNamesThem()
    {
        Assert.Equal(Enumerable.Range(0, TilePresets.All.Count).Select(i => (uint)i), TilePresets.ByAbiId.Select(p => p.AbiId));
        string header = RepositoryFiles.Read("native-abi/include/sbecore.h");
        string body = Regex.Match(header, @"typedef enum sbe_device \{(?<body>[^}]*)\} sbe_device;").Groups["body"].Value;
        var entries = Regex.Matches(body, @"SBE_DEVICE_[A-Z_]+ = (?<value>\d+),?\s*/\* ""(?<name>[A-Za-z]+)""")
            .Select(m => (uint.Parse(m.Groups["value"].Value), m.Groups["name"].Value)).ToList();
        Assert.Equal(TilePresets.ByAbiId.Select(p => (p.AbiId, p.Name)), entries);
    }

    [Fact]
    public void PythonHasAPresetFunctionForEveryPresetAndNoOther()
    {
        string presets = RepositoryFiles.Read("bindings/python/sbecore/presets.py");
        var defined = Regex.Matches(presets, @"^def (?<name>[A-Za-z]+)Preset\(", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.Equal(TilePresets.All.Select(p => p.Name).Where(n => n != TilePresets.IdealName).Order(), defined.Order());
        Assert.Contains("sbe_device_names", presets);
    }
}
