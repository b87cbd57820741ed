using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Crossbar;

/// <summary>
/// Builds the pulse trains of all lines of a write as bit masks: bit t of line l is set when uniform draw
/// (t, l) falls below the line's threshold (its firing probability times 2^32). Draws are laid out slot-major,
/// draws[t * PaddedLines + l], so one vector compare decides a slot for 16 lines and a write uses exactly
/// BL draws per line (padded to 16 lines): a training write (BL 1-2 after BL management) needs few draws, and the
/// bits are scattered only where a line fires. Every ISA path produces the same masks.
/// </summary>
internal static class PulseMasks
{
    /// <summary>Lines rounded up to a whole Vector512 of draws; the padding lines have threshold 0 and never fire.</summary>
    public static int PaddedLines(int lines) => (lines + 15) & ~15;

    /// <summary>Words of one line's mask.</summary>
    public static int WordsPerLine(int bl) => (bl + 63) >> 6;

    /// <summary>Uniform 32-bit draws one write of <paramref name="lines"/> lines and <paramref name="bl"/> slots consumes.</summary>
    public static int Draws(int lines, int bl) => PaddedLines(lines) * bl;

    /// <summary>The compare threshold of firing probability <paramref name="p"/>: a draw fires when below it;
    /// <see cref="uint.MaxValue"/> marks p &gt;= 1 (the line fires in every slot), 0 never fires.</summary>
    public static uint Threshold(float p) => p > 0 ? (p < 1f ? (uint)(p * 4294967296.0) : uint.MaxValue) : 0; // p < 1 fits below MaxValue

    /// <summary>
    /// Writes every line's mask (<paramref name="masks"/>: line l at l * WordsPerLine(bl)) from the slot-major draws
    /// and the per-line thresholds (PaddedLines(lines) long, padding 0).
    /// </summary>
    public static void Build(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks)
    {
        // Lines are padded to 16, a whole vector at every width, so the widest width in force is taken.
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: Build512(draws, thresholds, lines, bl, masks); break;
            case SimdWidth.V256: Build256(draws, thresholds, lines, bl, masks); break;
            case SimdWidth.V128: Build128(draws, thresholds, lines, bl, masks); break;
            default: BuildScalar(draws, thresholds, lines, bl, masks); break;
        }
    }

    internal static void Build512(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks) => BuildCore<Simd512, Vector512<float>>(draws, thresholds, lines, bl, masks);
    internal static void Build256(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks) => BuildCore<Simd256, Vector256<float>>(draws, thresholds, lines, bl, masks);
    internal static void Build128(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks) => BuildCore<Simd128, Vector128<float>>(draws, thresholds, lines, bl, masks);

    internal static void BuildScalar(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks)
    {
        Check(draws, thresholds, lines, bl, masks, out int padded, out int words);
        masks.Slice(0, lines * words).Clear();
        for (int t = 0; t < bl; t++)
            for (int l = 0; l < lines; l++)
                if (draws[t * padded + l] < thresholds[l]) masks[l * words + (t >> 6)] |= 1UL << (t & 63);
        FillCertainLines(thresholds, lines, bl, masks);
    }

    private static void BuildCore<TOps, TVec>(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        Check(draws, thresholds, lines, bl, masks, out int padded, out int words);
        masks.Slice(0, lines * words).Clear();
        ref uint d = ref MemoryMarshal.GetReference(draws);
        ref uint th = ref MemoryMarshal.GetReference(thresholds);
        ref ulong m = ref MemoryMarshal.GetReference(masks);
        for (int t = 0; t < bl; t++)
        {
            ref uint slot = ref Unsafe.Add(ref d, (nuint)(t * padded));
            ulong bit = 1UL << (t & 63);
            int word = t >> 6;
            for (int l0 = 0; l0 < padded; l0 += TOps.Count)
            {
                uint fired = TOps.LessThanBits(ref slot, ref th, (nuint)l0);
                // Firing lines are few in a training write: visit only them. Padding lines have threshold 0.
                while (fired != 0)
                {
                    int l = l0 + BitOperations.TrailingZeroCount(fired);
                    Unsafe.Add(ref m, (nuint)(l * words + word)) |= bit;
                    fired &= fired - 1;
                }
            }
        }
        FillCertainLines(thresholds, lines, bl, masks);
    }

    // Lines with p >= 1 fire in every slot (a draw of exactly 2^32 - 1 would miss the compare).
    private static void FillCertainLines(ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks)
    {
        if (!thresholds.Slice(0, lines).Contains(uint.MaxValue)) return; // a vector scan; most writes have no such line
        int words = WordsPerLine(bl);
        for (int l = 0; l < lines; l++)
        {
            if (thresholds[l] != uint.MaxValue) continue;
            for (int t = 0; t < bl; t += 64) masks[l * words + (t >> 6)] = bl - t >= 64 ? ulong.MaxValue : (1UL << (bl - t)) - 1;
        }
    }

    private static void Check(ReadOnlySpan<uint> draws, ReadOnlySpan<uint> thresholds, int lines, int bl, Span<ulong> masks, out int padded, out int words)
    {
        padded = PaddedLines(lines);
        words = WordsPerLine(bl);
        if (bl < 1) throw new ArgumentException($"BL is {bl}; it must be at least 1.", nameof(bl));
        if (draws.Length < padded * bl) throw new ArgumentException($"draws has {draws.Length} elements; {lines} lines x BL {bl} need {padded * bl}.", nameof(draws));
        if (thresholds.Length < padded) throw new ArgumentException($"thresholds has {thresholds.Length} elements; {lines} lines need {padded} (padded).", nameof(thresholds));
        if (masks.Length < lines * words) throw new ArgumentException($"masks has {masks.Length} elements; {lines} lines need {lines * words}.", nameof(masks));
    }
}
