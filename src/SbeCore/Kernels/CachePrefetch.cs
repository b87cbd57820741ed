using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

/// <summary>Software prefetch of cache lines a kernel will read soon, for access patterns the hardware prefetchers do
/// not follow (many rows a page apart, a few lines each). A hint only: it never faults, changes no value, and is a
/// no-op where the runtime exposes no prefetch instruction (ARM64).</summary>
internal static class CachePrefetch
{
    /// <summary>Asks for every cache line holding one of the <paramref name="count"/> floats <paramref name="offset"/> floats
    /// from <paramref name="origin"/> into L2. The offset is applied to the address, not to the reference, so the floats
    /// may lie past the end of origin's buffer (no reference outside an object is ever formed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void ToL2(ref float origin, nint offset, nuint count)
    {
        if (!Sse.IsSupported) return;
        nuint first = (nuint)((byte*)Unsafe.AsPointer(ref origin) + offset * sizeof(float)), end = first + count * sizeof(float);
        for (nuint line = first & ~(nuint)63; line < end; line += 64) Sse.Prefetch1((void*)line);
    }
}
