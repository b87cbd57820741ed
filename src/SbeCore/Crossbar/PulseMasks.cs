using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    // Bit i set when draws[i] < threshold, for 16 draws.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below16(ReadOnlySpan<uint> draws, uint threshold)
    {
        ref uint d = ref MemoryMarshal.GetReference(draws);
        if (Vector512.IsHardwareAccelerated)
            return Vector512.LessThan(Vector512.LoadUnsafe(ref d), Vector512.Create(threshold)).ExtractMostSignificantBits();
        if (Vector256.IsHardwareAccelerated)
        {
            var t = Vector256.Create(threshold);
            return Vector256.LessThan(Vector256.LoadUnsafe(ref d), t).ExtractMostSignificantBits()
                 | ((ulong)Vector256.LessThan(Vector256.LoadUnsafe(ref d, 8), t).ExtractMostSignificantBits() << 8);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var t = Vector128.Create(threshold);
            ulong r = 0;
            for (int q = 0; q < 4; q++) r |= (ulong)Vector128.LessThan(Vector128.LoadUnsafe(ref d, (nuint)(4 * q)), t).ExtractMostSignificantBits() << (4 * q);
            return r;
        }
        return Below16Scalar(draws, threshold);
    }

    internal static ulong Below16Scalar(ReadOnlySpan<uint> draws, uint threshold)
    {
        ulong r = 0;
        for (int i = 0; i < 16; i++) if (draws[i] < threshold) r |= 1UL << i;
        return r;
    }
}
