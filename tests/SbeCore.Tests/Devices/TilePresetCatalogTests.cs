using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Experiments;

namespace SbeCore.Tests.Devices;

/// <summary>The preset catalog (<see cref="TilePresets"/>) is the one list of device names: the name look-ups, the sweep
/// names and the report order agree with it (the C header and Python: Native/RegistryListTests).</summary>
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
}
