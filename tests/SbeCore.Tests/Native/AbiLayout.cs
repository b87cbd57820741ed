namespace SbeCore.Tests.Native;

/// <summary>One field of an ABI struct as one of its three descriptions gives it: name (snake_case), byte offset, size
/// and kind ('u' unsigned, 'i' signed, 'f' floating point, 'p' pointer, 's' nested struct).</summary>
internal readonly record struct AbiField(string Name, int Offset, int Size, char Kind);

/// <summary>A struct's fields, total size and version constant.</summary>
internal sealed record AbiStruct(string Name, IReadOnlyList<AbiField> Fields, int Size, uint Version);

/// <summary>The x86-64 / AArch64 System V layout of a C struct from its fields' sizes: every scalar is aligned to its size,
/// a nested struct to its widest member, and the whole is padded to its alignment (what C, ctypes and
/// LayoutKind.Sequential agree on).</summary>
internal static class AbiLayout
{
    public static (List<AbiField> Fields, int Size, int Align) Lay(IEnumerable<(string Name, int Size, int Align, char Kind)> members)
    {
        var fields = new List<AbiField>();
        int offset = 0, align = 1;
        foreach (var (name, size, a, kind) in members)
        {
            offset = (offset + a - 1) / a * a;
            fields.Add(new AbiField(name, offset, size, kind));
            offset += size;
            align = Math.Max(align, a);
        }
        return (fields, (offset + align - 1) / align * align, align);
    }

    /// <summary>"RankOneWrites" -> "rank_one_writes", "NULL_POINTER" -> "null_pointer".</summary>
    public static string Snake(string name)
    {
        if (name.Contains('_') || name.All(c => !char.IsLower(c))) return name.ToLowerInvariant();
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
