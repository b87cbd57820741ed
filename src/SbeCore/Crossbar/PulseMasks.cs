using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Crossbar;

/// <summary>
/// Builds a line's pulse train as a bit mask: bit t is set when uniform draw t falls below the firing
/// probability. Draws come 16 at a time (a Vector512 of uint), so a line uses <see cref="DrawsPerLine"/> draws.
/// Every ISA path produces the same mask.
/// </summary>
internal static class PulseMasks
{
    /// <summary>Uniform 32-bit draws one line consumes for a train of <paramref name="bl"/> slots.</summary>
    public static int DrawsPerLine(int bl) => (bl + 15) & ~15;

    /// <summary>Words of one line's mask.</summary>
    public static int WordsPerLine(int bl) => (bl + 63) >> 6;

    /// <summary>Writes the mask of a line firing with probability <paramref name="p"/> in each of <paramref name="bl"/> slots.</summary>
    public static void Build(ReadOnlySpan<uint> draws, float p, int bl, Span<ulong> mask)
    {
        mask.Clear();
        if (!(p > 0)) return;
        if (p >= 1f)
        {
            for (int t = 0; t < bl; t += 64) mask[t >> 6] = bl - t >= 64 ? ulong.MaxValue : (1UL << (bl - t)) - 1;
            return;
        }
        uint threshold = (uint)(p * 4294967296.0); // p < 1, so this fits
        int chunks = DrawsPerLine(bl) >> 4;
        for (int c = 0; c < chunks; c++)
        {
            ulong bits = Below16(draws.Slice(c << 4, 16), threshold);
            mask[c >> 2] |= bits << ((c & 3) << 4);
        }
        int tail = bl & 63;
        if (tail != 0) mask[bl >> 6] &= (1UL << tail) - 1;
    }

    // Bit i set when draws[i] < threshold, for 16 draws: the widest accelerated width (JIT-time constants).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below16(ReadOnlySpan<uint> draws, uint threshold)
    {
        if (Vector512.IsHardwareAccelerated) return Below16_512(draws, threshold);
        if (Vector256.IsHardwareAccelerated) return Below16_256(draws, threshold);
        if (Vector128.IsHardwareAccelerated) return Below16_128(draws, threshold);
        return Below16Scalar(draws, threshold);
    }

    internal static ulong Below16_512(ReadOnlySpan<uint> draws, uint threshold) => Below16Core<Simd512, Vector512<float>>(draws, threshold);
    internal static ulong Below16_256(ReadOnlySpan<uint> draws, uint threshold) => Below16Core<Simd256, Vector256<float>>(draws, threshold);
    internal static ulong Below16_128(ReadOnlySpan<uint> draws, uint threshold) => Below16Core<Simd128, Vector128<float>>(draws, threshold);

    internal static ulong Below16Scalar(ReadOnlySpan<uint> draws, uint threshold)
    {
        ulong r = 0;
        for (int i = 0; i < 16; i++) if (draws[i] < threshold) r |= 1UL << i;
        return r;
    }

    // draws has at least 16 elements (the callers slice exactly 16).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below16Core<TOps, TVec>(ReadOnlySpan<uint> draws, uint threshold)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        ref uint d = ref MemoryMarshal.GetReference(draws);
        ulong r = 0;
        for (int q = 0; q < 16; q += TOps.Count) r |= (ulong)TOps.LessThanBits(ref d, (nuint)q, threshold) << q;
        return r;
    }
}
