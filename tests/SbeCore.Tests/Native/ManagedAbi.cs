using System.Reflection;
using System.Runtime.InteropServices;

namespace SbeCore.Tests.Native;

/// <summary>The blittable mirrors of the ABI structs in native-abi/SbeCore.Native/NativeStructs.cs, read by reflection
/// (internal types named NameV1 with a CurrentVersion constant).</summary>
internal static class ManagedAbi
{
    public static Assembly Assembly => typeof(SbeCore.Native.SbeStatus).Assembly;

    /// <summary>Every struct mirror, by its name without the version suffix in snake_case ("TileConfigV1" -> "tile_config").</summary>
    public static IReadOnlyDictionary<string, AbiStruct> Structs() => Assembly.GetTypes()
        .Where(t => t.IsValueType && t.Namespace == "SbeCore.Native" && t.GetField("CurrentVersion") is { IsLiteral: true })
        .ToDictionary(t => AbiLayout.Snake(t.Name[..t.Name.LastIndexOf('V')]), Describe);

    private static AbiStruct Describe(Type t)
    {
        var fields = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(f => new AbiField(AbiLayout.Snake(f.Name), (int)Marshal.OffsetOf(t, f.Name), SizeOf(f.FieldType), KindOf(f.FieldType)))
            .OrderBy(f => f.Offset).ToList();
        return new AbiStruct(AbiLayout.Snake(t.Name[..t.Name.LastIndexOf('V')]), fields, Marshal.SizeOf(t), (uint)t.GetField("CurrentVersion")!.GetRawConstantValue()!);
    }

    private static int SizeOf(Type t) => t.IsPointer ? IntPtr.Size : Marshal.SizeOf(t);

    private static char KindOf(Type t) =>
        t.IsPointer ? 'p'
        : t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(byte) ? 'u'
        : t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte) ? 'i'
        : t == typeof(float) || t == typeof(double) ? 'f'
        : 's';

    /// <summary>A constant of the internal Exports class (AbiMajor, AbiMinor).</summary>
    public static int ExportsConstant(string name) =>
        (int)Assembly.GetType("SbeCore.Native.Exports")!.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
}
