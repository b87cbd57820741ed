using System.Globalization;
using System.Text.RegularExpressions;

namespace SbeCore.Tests.Native;

/// <summary>The structs, enums and version macros of native-abi/include/sbecore.h, read as text.</summary>
internal static partial class HeaderAbi
{
    private static readonly Lazy<string> s_text = new(() =>
        CommentRegex().Replace(RepositoryFiles.Read("native-abi/include/sbecore.h"), " "));

    private static readonly Dictionary<string, (int Size, char Kind)> s_scalars = new()
    {
        ["uint32_t"] = (4, 'u'), ["int32_t"] = (4, 'i'), ["uint64_t"] = (8, 'u'), ["int64_t"] = (8, 'i'),
        ["float"] = (4, 'f'), ["double"] = (8, 'f'),
    };

    /// <summary>Every struct with a body, by its typedef name without "sbe_" and "_t" ("tile_config").</summary>
    public static IReadOnlyDictionary<string, AbiStruct> Structs()
    {
        var result = new Dictionary<string, (AbiStruct Struct, int Align)>();
        foreach (Match m in StructRegex().Matches(s_text.Value))
        {
            string name = m.Groups["name"].Value;
            var members = new List<(string, int, int, char)>();
            foreach (string line in m.Groups["body"].Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var f = FieldRegex().Match(line);
                Assert.True(f.Success, $"sbecore.h: cannot read field '{line}' of sbe_{name}_t");
                string type = f.Groups["type"].Value, field = f.Groups["field"].Value;
                if (f.Groups["ptr"].Value == "*") members.Add((field, 8, 8, 'p'));
                else if (s_scalars.TryGetValue(type, out var s)) members.Add((field, s.Size, s.Size, s.Kind));
                else
                {
                    var nested = result[type["sbe_".Length..^"_t".Length]];
                    members.Add((field, nested.Struct.Size, nested.Align, 's'));
                }
            }
            var (fields, size, align) = AbiLayout.Lay(members);
            result[name] = (new AbiStruct(name, fields, size, Macro($"SBE_{name.ToUpperInvariant()}_VERSION")), align);
        }
        return result.ToDictionary(kv => kv.Key, kv => kv.Value.Struct);
    }

    /// <summary>The constants of <c>typedef enum sbe_NAME { ... } sbe_NAME;</c>, in order.</summary>
    public static IReadOnlyList<(string Name, int Value)> Enum(string name)
    {
        var m = Regex.Match(s_text.Value, $@"typedef enum {name} \{{(?<body>[^}}]*)\}} {name};");
        Assert.True(m.Success, $"sbecore.h has no enum {name}");
        return EnumEntryRegex().Matches(m.Groups["body"].Value)
            .Select(e => (e.Groups["name"].Value, int.Parse(e.Groups["value"].Value, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The value of <c>#define NAME 1u</c> / <c>#define NAME 5</c>.</summary>
    public static uint Macro(string name)
    {
        var m = Regex.Match(s_text.Value, $@"#define {name} (?<value>\d+)u?\b");
        Assert.True(m.Success, $"sbecore.h has no #define {name}");
        return uint.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentRegex();
    [GeneratedRegex(@"typedef struct sbe_(?<name>\w+) \{(?<body>[^}]*)\} sbe_\k<name>_t;")]
    private static partial Regex StructRegex();
    [GeneratedRegex(@"^(const\s+)?(?<type>\w+)\s*(?<ptr>\*?)\s*(?<field>\w+)$")]
    private static partial Regex FieldRegex();
    [GeneratedRegex(@"(?<name>SBE_\w+)\s*=\s*(?<value>-?\d+)")]
    private static partial Regex EnumEntryRegex();
}
