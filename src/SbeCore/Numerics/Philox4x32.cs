using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Numerics;

/// <summary>
/// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC11), the
/// counter-based generator of Random123, cuRAND and PyTorch's CUDA streams: four 32-bit output words are a keyed
/// bijection of a 128-bit counter, so any draw can be computed without the ones before it. Counters here are
/// (position, line, write low, write high): a pulsed write numbers its lines (rows or columns) and each line numbers its
/// draws, so every row block of a write can draw its own numbers on any thread. The bulk fills compute 16 counters
/// per step as lanes, in one generic body over <see cref="ISimdWordOps{TWords}"/>; the layouts are fixed in blocks of
/// 16 lanes, so every width (and the scalar path) writes the same words to the same places.
/// </summary>
internal static class Philox4x32
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57; // round multipliers
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85; // key schedule increments (golden ratio, sqrt(3) - 1)

    /// <summary>Counters one stream-fill block covers (a whole vector of 32-bit lanes at every width).</summary>
    public const int BlockCounters = 16;

    /// <summary>Words one stream-fill block writes.</summary>
    public const int BlockWords = 4 * BlockCounters;

    /// <summary>The four output words of counter (c0, c1, c2, c3) under key (k0, k1): the reference form the
    /// known-answer vectors check.</summary>
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        Rounds<SimdWordScalar, uint>(ref c0, ref c1, ref c2, ref c3, k0, k1);
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// Slot-major draws for pulse masks: <c>draws[t * lines + (l - firstLine)]</c> for slot t &lt; <paramref name="slots"/>
    /// and line l in [firstLine, firstLine + lines) (both multiples of 16). Lines go in groups of 64, one counter per
    /// slot for four lines: line l is word (l / 16) mod 4 of counter (t, 16 (l / 64) + l mod 16, write), so a write
    /// of BL 1 costs one counter per four lines, and any block of whole 16-line runs can be filled on its own.
    /// </summary>
    public static void FillSlotMajor(ulong key, ulong write, uint firstLine, int lines, int slots, Span<uint> draws)
    {
        if (lines % BlockCounters != 0 || firstLine % BlockCounters != 0) throw new ArgumentException($"firstLine {firstLine} and lines {lines} must be multiples of {BlockCounters}.", nameof(lines));
        if (draws.Length < (long)slots * lines) throw new ArgumentException($"draws has {draws.Length} words, {slots} slots of {lines} lines need {(long)slots * lines}.", nameof(draws));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: SlotMajorCore<SimdWord512, Vector512<uint>>(key, write, firstLine, lines, slots, draws); break;
            case SimdWidth.V256: SlotMajorCore<SimdWord256, Vector256<uint>>(key, write, firstLine, lines, slots, draws); break;
            case SimdWidth.V128: SlotMajorCore<SimdWord128, Vector128<uint>>(key, write, firstLine, lines, slots, draws); break;
            default: SlotMajorCore<SimdWordScalar, uint>(key, write, firstLine, lines, slots, draws); break;
        }
    }

    /// <summary>
    /// One line's stream, in blocks of 16 counters: <c>destination[64 b + 16 w + l]</c> is word w of counter
    /// (16 (firstBlock + b) + l, line, write) under <paramref name="key"/> (destination a whole number of blocks).
    /// </summary>
    public static void FillStream(ulong key, ulong write, uint line, uint firstBlock, Span<uint> destination)
    {
        if (destination.Length % BlockWords != 0) throw new ArgumentException($"destination has {destination.Length} words, not a multiple of {BlockWords}.", nameof(destination));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: StreamCore<SimdWord512, Vector512<uint>>(key, write, line, firstBlock, destination); break;
            case SimdWidth.V256: StreamCore<SimdWord256, Vector256<uint>>(key, write, line, firstBlock, destination); break;
            case SimdWidth.V128: StreamCore<SimdWord128, Vector128<uint>>(key, write, line, firstBlock, destination); break;
            default: StreamCore<SimdWordScalar, uint>(key, write, line, firstBlock, destination); break;
        }
    }

    private static void SlotMajorCore<TOps, TW>(ulong key, ulong write, uint firstLine, int lines, int slots, Span<uint> draws)
        where TOps : struct, ISimdWordOps<TW> where TW : struct
    {
        ref uint d = ref MemoryMarshal.GetReference(draws);
        TW c2 = TOps.Broadcast((uint)write), c3 = TOps.Broadcast((uint)(write >> 32));
        uint end = firstLine + (uint)lines;
        for (int t = 0; t < slots; t++)
        {
            TW c0 = TOps.Broadcast((uint)t);
            nuint row = (nuint)t * (nuint)lines;
            for (uint group = firstLine / 64; group * 64 < end; group++)
            {
                for (int l = 0; l < BlockCounters; l += TOps.Count)
                {
                    TW x0 = c0, x1 = TOps.Sequence(group * BlockCounters + (uint)l), x2 = c2, x3 = c3;
                    Rounds<TOps, TW>(ref x0, ref x1, ref x2, ref x3, (uint)key, (uint)(key >> 32));
                    uint line = group * 64 + (uint)l; // word w serves lines line + 16 w
                    if (line >= firstLine && line < end) TOps.Store(x0, ref d, row + (line - firstLine));
                    if (line + 16 >= firstLine && line + 16 < end) TOps.Store(x1, ref d, row + (line + 16 - firstLine));
                    if (line + 32 >= firstLine && line + 32 < end) TOps.Store(x2, ref d, row + (line + 32 - firstLine));
                    if (line + 48 >= firstLine && line + 48 < end) TOps.Store(x3, ref d, row + (line + 48 - firstLine));
                }
            }
        }
    }

    private static void StreamCore<TOps, TW>(ulong key, ulong write, uint line, uint firstBlock, Span<uint> destination)
        where TOps : struct, ISimdWordOps<TW> where TW : struct
    {
        ref uint d = ref MemoryMarshal.GetReference(destination);
        TW c1 = TOps.Broadcast(line), c2 = TOps.Broadcast((uint)write), c3 = TOps.Broadcast((uint)(write >> 32));
        int blocks = destination.Length / BlockWords;
        for (int b = 0; b < blocks; b++)
        {
            uint first = (firstBlock + (uint)b) * BlockCounters;
            nuint at = (nuint)(b * BlockWords);
            for (int l = 0; l < BlockCounters; l += TOps.Count)
            {
                TW x0 = TOps.Sequence(first + (uint)l), x1 = c1, x2 = c2, x3 = c3;
                Rounds<TOps, TW>(ref x0, ref x1, ref x2, ref x3, (uint)key, (uint)(key >> 32));
                TOps.Store(x0, ref d, at + (nuint)l);
                TOps.Store(x1, ref d, at + (nuint)(BlockCounters + l));
                TOps.Store(x2, ref d, at + (nuint)(2 * BlockCounters + l));
                TOps.Store(x3, ref d, at + (nuint)(3 * BlockCounters + l));
            }
        }
    }

    // Ten rounds: (x0, x1, x2, x3) <- (hi(M1 x2) ^ x1 ^ k0, lo(M1 x2), hi(M0 x0) ^ x3 ^ k1, lo(M0 x0)), the key
    // advancing by (W0, W1) between rounds.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds<TOps, TW>(ref TW x0, ref TW x1, ref TW x2, ref TW x3, uint k0, uint k1)
        where TOps : struct, ISimdWordOps<TW> where TW : struct
    {
        for (int r = 0; r < 10; r++)
        {
            TW hi0 = TOps.MultiplyHigh(x0, M0), lo0 = TOps.MultiplyLow(x0, M0);
            TW hi1 = TOps.MultiplyHigh(x2, M1), lo1 = TOps.MultiplyLow(x2, M1);
            x0 = TOps.Xor(TOps.Xor(hi1, x1), TOps.Broadcast(k0));
            x2 = TOps.Xor(TOps.Xor(hi0, x3), TOps.Broadcast(k1));
            x1 = lo1;
            x3 = lo0;
            k0 += W0; k1 += W1;
        }
    }
}
