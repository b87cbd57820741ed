using System.Runtime.InteropServices;

namespace SbeCore.Native;

/// <summary>Placeholder; the C ABI work replaces it.</summary>
public static class Exports
{
    /// <summary>(major &lt;&lt; 16) | minor.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_abi_version")]
    public static int AbiVersion() => (1 << 16) | 0;
}
