using System.Globalization;
using System.Text.RegularExpressions;

namespace SbeCore.Tests.Native;

/// <summary>The ctypes structs of bindings/python/sbecore/_native.py and the enum dicts of the binding, read as text.</summary>
internal static partial class PythonAbi
{
    private static readonly Dictionary<string, (int Size, char Kind)> s_scalars = new()
    {
        ["c_uint32"] = (4, 'u'), ["c_int32"] = (4, 'i'), ["c_uint64"] = (8, 'u'), ["c_int64"] = (8, 'i'),
        ["c_float"] = (4, 'f'), ["c_double"] = (8, 'f'),
    };

    /// <summary>Every ctypes.Structure, by its name in snake_case ("TileConfig" -> "tile_config").</summary>
    public static IReadOnlyDictionary<string, AbiStruct> Structs()
    {
        string text = RepositoryFiles.Read("bindings/python/sbecore/_native.py");
        var result = new Dictionary<string, (AbiStruct Struct, int Align, string Class)>();
        foreach (Match m in StructRegex().Matches(text))
        {
            var members = new List<(string, int, int, char)>();
            foreach (Match f in FieldRegex().Matches(m.Groups["fields"].Value))
            {
                string type = f.Groups["type"].Value.Replace("ctypes.", "", StringComparison.Ordinal), field = f.Groups["name"].Value;
                if (type.StartsWith("POINTER(", StringComparison.Ordinal) || type == "c_void_p") members.Add((field, 8, 8, 'p'));
                else if (s_scalars.TryGetValue(type, out var s)) members.Add((field, s.Size, s.Size, s.Kind));
                else
                {
                    var nested = result.Values.Single(v => v.Class == type);
                    members.Add((field, nested.Struct.Size, nested.Align, 's'));
                }
            }
            var (fields, size, align) = AbiLayout.Lay(members);
            string name = AbiLayout.Snake(m.Groups["class"].Value);
            result[name] = (new AbiStruct(name, fields, size, uint.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture)), align, m.Groups["class"].Value);
        }
        return result.ToDictionary(kv => kv.Key, kv => kv.Value.Struct);
    }

    /// <summary>A module-level dict literal <c>NAME = {key: value, ...}</c> of a binding file (keys and values as text).</summary>
    public static IReadOnlyDictionary<string, string> Dict(string file, string name)
    {
        string text = RepositoryFiles.Read($"bindings/python/sbecore/{file}");
        var m = Regex.Match(text, $@"^{name} = \{{(?<body>[^}}]*)\}}", RegexOptions.Multiline);
        Assert.True(m.Success, $"{file} has no dict {name}");
        return DictEntryRegex().Matches(m.Groups["body"].Value).ToDictionary(e => e.Groups["key"].Value.Trim('"'), e => e.Groups["value"].Value.Trim('"'));
    }

    /// <summary>A module-level integer constant <c>NAME = 5</c>.</summary>
    public static int Constant(string file, string name)
    {
        var m = Regex.Match(RepositoryFiles.Read($"bindings/python/sbecore/{file}"), $@"^{name} = (?<value>\d+)", RegexOptions.Multiline);
        Assert.True(m.Success, $"{file} has no constant {name}");
        return int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"class (?<class>\w+)\(ctypes\.Structure\):\s*_fields_ = \[(?<fields>.*?)\]\s*VERSION = (?<version>\d+)", RegexOptions.Singleline)]
    private static partial Regex StructRegex();
    [GeneratedRegex(@"\(""(?<name>\w+)"",\s*(?<type>(?:ctypes\.)?\w+(?:\(\w+\))?)\)")]
    private static partial Regex FieldRegex();
    [GeneratedRegex(@"(?<key>-?\d+|""\w+"")\s*:\s*(?<value>-?\d+|""\w+"")")]
    private static partial Regex DictEntryRegex();
}
