using System.Text.RegularExpressions;
using SbeCore.Crossbar;
using SbeCore.Updates;

namespace SbeCore.Tests.Native;

/// <summary>The C header's sbe_method and sbe_device enums and the Python binding list exactly what the rule registry
/// (<see cref="UpdateRules"/>) and the preset catalog (<see cref="TilePresets"/>) declare; both are read as text.</summary>
public class RegistryListTests
{
    [Fact]
    public void HeaderMethodEnumListsExactlyTheCAbiRules()
    {
        string header = RepositoryFiles.Read("native-abi/include/sbecore.h");
        var body = Regex.Match(header, @"typedef enum sbe_method \{(?<body>[^}]*)\} sbe_method;").Groups["body"].Value;
        var constants = Regex.Matches(body, @"SBE_METHOD_(?<name>[A-Z_]+) = (?<value>\d+)")
            .ToDictionary(m => uint.Parse(m.Groups["value"].Value), m => m.Groups["name"].Value);
        var abiRules = UpdateRules.All.Where(r => r.AbiId is not null).ToDictionary(r => r.AbiId!.Value);
        Assert.Equal(abiRules.Keys.Order(), constants.Keys.Order());
        foreach (var (value, constant) in constants)
        {
            // SBE_METHOD_TRUNCATED_SVD names the rule "svd" by its alias "truncatedsvd".
            string spelled = constant.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            Assert.Contains(spelled, abiRules[value].Spellings.Select(s => s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void PythonBindingKeepsNoListOfItsOwn()
    {
        // Python's METHODS comes from sbe_method_names / sbe_method_by_name (the pytest suite checks it against the
        // library); a hand-kept dict of method values would reappear as a literal such as "sbe": 3.
        string network = RepositoryFiles.Read("bindings/python/sbecore/network.py");
        Assert.DoesNotMatch(new Regex(@"""(sgd|sbe|minibatch)""\s*:\s*\d"), network);
        Assert.Contains("methods()", network);
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
