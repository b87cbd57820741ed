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
        // Four chains: a multiply-add's latency is four times its issue interval, so two chains ran at half the
        // loads' rate (6,464 inputs of a 10x101 batched read took 0.22 us).
        TVec zero = TOps.Zero, a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        nuint i = 0;
        for (; i + 4 * n <= length; i += 4 * n)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref r, i), zero, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref r, i + n), zero, a1);
            a2 = TOps.MultiplyAdd(TOps.Load(ref r, i + 2 * n), zero, a2);
            a3 = TOps.MultiplyAdd(TOps.Load(ref r, i + 3 * n), zero, a3);
        }
        // Fewer than 4n elements remain in [i, length): whole vectors from i, then the vector that ends at length
        // (re-reading elements is harmless here).
        for (; i + n <= length; i += n) a0 = TOps.MultiplyAdd(TOps.Load(ref r, i), zero, a0);
        a1 = TOps.MultiplyAdd(TOps.Load(ref r, length - n), zero, a1);
        return TOps.Sum(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3))) == 0; // NaN (from any non-finite lane) is not equal to 0
    }
}
