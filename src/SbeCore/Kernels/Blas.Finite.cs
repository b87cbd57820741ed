using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

// The finiteness scan every layer uses to reject NaN/Inf before it touches state (tile writes, estimator
// samples, C ABI inputs). v * 0 is 0 for a finite v and NaN for NaN or +-Inf, so the scan accumulates that with
// plain multiplies and adds (no compare masks), one horizontal sum at the end, and locates the index only on failure.
public static partial class Blas
{
    /// <summary>Index of the first NaN or infinite element, or -1 when every element is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOfNonFinite(ReadOnlySpan<float> x)
    {
        bool finite = SimdDispatch.For(x.Length) switch
        {
            SimdWidth.V512 => AllFinite512(x),
            SimdWidth.V256 => AllFinite256(x),
            SimdWidth.V128 => AllFinite128(x),
            _ => AllFiniteScalar(x),
        };
        if (finite) return -1;
        for (int i = 0; i < x.Length; i++) if (!float.IsFinite(x[i])) return i;
        return -1;
    }

    internal static bool AllFinite512(ReadOnlySpan<float> x) => AllFiniteCore<Simd512, Vector512<float>>(x);
    internal static bool AllFinite256(ReadOnlySpan<float> x) => AllFiniteCore<Simd256, Vector256<float>>(x);
    internal static bool AllFinite128(ReadOnlySpan<float> x) => AllFiniteCore<Simd128, Vector128<float>>(x);

    internal static bool AllFiniteScalar(ReadOnlySpan<float> x)
    {
        foreach (float v in x) if (!float.IsFinite(v)) return false;
        return true;
    }

    private static bool AllFiniteCore<TOps, TVec>(ReadOnlySpan<float> x)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, length = (nuint)x.Length;
        if (length < n) return AllFiniteScalar(x);
        ref float r = ref MemoryMarshal.GetReference(x);
        TVec zero = TOps.Zero, a0 = zero, a1 = zero;
        nuint i = 0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref r, i), zero, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref r, i + n), zero, a1);
        }
        // Fewer than 2n elements remain in [i, length): the vectors at min(i, length - n) and length - n cover them
        // (re-reading elements is harmless here).
        a0 = TOps.MultiplyAdd(TOps.Load(ref r, Math.Min(i, length - n)), zero, a0);
        a1 = TOps.MultiplyAdd(TOps.Load(ref r, length - n), zero, a1);
        return TOps.Sum(TOps.Add(a0, a1)) == 0; // NaN (from any non-finite lane) is not equal to 0
    }
}
