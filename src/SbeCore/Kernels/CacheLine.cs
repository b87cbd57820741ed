using System.Runtime.CompilerServices;

namespace SbeCore.Kernels;

/// <summary>Where a float sits within its 64-byte cache line. A vector that straddles two lines costs two loads or two
/// stores; kernels start their loops on a boundary and take the floats before it separately.</summary>
internal static class CacheLine
{
    /// <summary>Floats from <paramref name="at"/> to the next 64-byte boundary (0 when it is on one; float data is at
    /// least 4-byte aligned). Of a managed array only a hint: the collector may move it, never the values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int FloatsToBoundary(ref float at) => (int)((64 - ((nuint)Unsafe.AsPointer(ref at) & 63)) & 63) / sizeof(float);
}
