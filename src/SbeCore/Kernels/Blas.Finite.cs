using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

// The finiteness scan every layer uses to reject NaN/Inf before it touches state (tile writes, estimator
// samples, C ABI inputs). x - x is 0 for a finite x and NaN for NaN or +-Inf, so the scan accumulates that
// with plain adds (no compare masks) and locates the offending index only on failure.
public static partial class Blas
{
    /// <summary>Index of the first NaN or infinite element, or -1 when every element is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> x)
    {
        bool finite = Vector512.IsHardwareAccelerated ? AllFinite512(x)
            : Vector256.IsHardwareAccelerated ? AllFinite256(x)
            : Vector128.IsHardwareAccelerated ? AllFinite128(x)
            : AllFiniteScalar(x);
        if (finite) return -1;
        for (int i = 0; i < x.Length; i++) if (!float.IsFinite(x[i])) return i;
        return -1;
    }

    internal static bool AllFinite512(ReadOnlySpan<float> x) => AllFinite<SimdFinite512>(x);
    internal static bool AllFinite256(ReadOnlySpan<float> x) => AllFinite<SimdFinite256>(x);
    internal static bool AllFinite128(ReadOnlySpan<float> x) => AllFinite<SimdFinite128>(x);

    internal static bool AllFiniteScalar(ReadOnlySpan<float> x)
    {
        foreach (float v in x) if (!float.IsFinite(v)) return false;
        return true;
    }

    private static bool AllFinite<TSimd>(ReadOnlySpan<float> x) where TSimd : struct, ISimdFinite
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, w = (nuint)TSimd.Count;
        if (n < w) return AllFiniteScalar(x);
        nuint i = 0;
        bool ok = true;
        for (; i + 2 * w <= n; i += 2 * w) ok &= TSimd.PairFinite(ref r, i, i + w);
        // Fewer than 2w elements remain in [i, n): the vectors at min(i, n - w) and n - w cover them (overlap is harmless).
        return ok & TSimd.PairFinite(ref r, Math.Min(i, n - w), n - w);
    }

    private interface ISimdFinite
    {
        static abstract int Count { get; }
        /// <summary>True when the vectors at offsets a and b hold only finite values.</summary>
        static abstract bool PairFinite(ref float r, nuint a, nuint b);
    }

    private readonly struct SimdFinite512 : ISimdFinite
    {
        public static int Count => Vector512<float>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool PairFinite(ref float r, nuint a, nuint b)
        {
            var u = Vector512.LoadUnsafe(ref r, a); var v = Vector512.LoadUnsafe(ref r, b);
            return (u - u + (v - v)) == Vector512<float>.Zero;
        }
    }

    private readonly struct SimdFinite256 : ISimdFinite
    {
        public static int Count => Vector256<float>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool PairFinite(ref float r, nuint a, nuint b)
        {
            var u = Vector256.LoadUnsafe(ref r, a); var v = Vector256.LoadUnsafe(ref r, b);
            return (u - u + (v - v)) == Vector256<float>.Zero;
        }
    }

    private readonly struct SimdFinite128 : ISimdFinite
    {
        public static int Count => Vector128<float>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool PairFinite(ref float r, nuint a, nuint b)
        {
            var u = Vector128.LoadUnsafe(ref r, a); var v = Vector128.LoadUnsafe(ref r, b);
            return (u - u + (v - v)) == Vector128<float>.Zero;
        }
    }
}
