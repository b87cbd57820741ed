using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace SbeCore.Native;

internal static unsafe partial class Exports
{
    private static nint s_version;

    /// <summary>
    /// sbe_version: the package version ("1.1.0", the repository's VERSION file, as NuGet, `sbe --version` and
    /// Python's __version__ report it), a NUL-terminated string owned by the library (never freed); NULL only if the library could not allocate those few bytes.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_version")]
    public static byte* Version()
    {
        nint cached = Volatile.Read(ref s_version);
        if (cached != 0) return (byte*)cached;
        try
        {
            string version = typeof(Exports).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            byte[] utf8 = Encoding.UTF8.GetBytes(version);
            byte* p = (byte*)NativeMemory.AllocZeroed((nuint)utf8.Length + 1);
            utf8.CopyTo(new Span<byte>(p, utf8.Length));
            nint previous = Interlocked.CompareExchange(ref s_version, (nint)p, 0);
            if (previous != 0) { NativeMemory.Free(p); return (byte*)previous; }
            return p;
        }
        catch { return null; }
    }
}
