using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

/// <summary>Software prefetch of cache lines a kernel will read soon, for access patterns the hardware prefetchers do
/// not follow (many rows a page apart, a few lines each). A hint only: it never faults, changes no value, and is a
/// no-op where the runtime exposes no prefetch instruction (ARM64).</summary>
internal static class CachePrefetch
{
    /// <summary>Asks for every cache line holding one of the <paramref name="count"/> floats from <paramref name="start"/> into L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void ToL2(ref float start, nuint count)
    {
        if (!Sse.IsSupported) return;
        nuint first = (nuint)Unsafe.AsPointer(ref start), end = first + count * sizeof(float);
        for (nuint line = first & ~(nuint)63; line < end; line += 64) Sse.Prefetch1((void*)line);
    }
}
