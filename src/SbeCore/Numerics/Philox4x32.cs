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
    /// Slot-major draws for pulse masks: <c>draws[(4q + w) * lines + l]</c> is word w of counter
    /// (q, firstLine + l, write) under <paramref name="key"/>, for q &lt; <paramref name="quads"/> and l &lt;
    /// <paramref name="lines"/> (a multiple of 16), so slot t of line l is word t mod 4 of counter (t / 4, line).
    /// </summary>
    public static void FillSlotMajor(ulong key, ulong write, uint firstLine, int lines, int quads, Span<uint> draws)
    {
        if (lines % BlockCounters != 0) throw new ArgumentException($"lines is {lines}, not a multiple of {BlockCounters}.", nameof(lines));
        if (draws.Length < (long)4 * quads * lines) throw new ArgumentException($"draws has {draws.Length} words, {quads} quads of {lines} lines need {4L * quads * lines}.", nameof(draws));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: SlotMajorCore<SimdWord512, Vector512<uint>>(key, write, firstLine, lines, quads, draws); break;
            case SimdWidth.V256: SlotMajorCore<SimdWord256, Vector256<uint>>(key, write, firstLine, lines, quads, draws); break;
            case SimdWidth.V128: SlotMajorCore<SimdWord128, Vector128<uint>>(key, write, firstLine, lines, quads, draws); break;
            default: SlotMajorCore<SimdWordScalar, uint>(key, write, firstLine, lines, quads, draws); break;
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

    private static void SlotMajorCore<TOps, TW>(ulong key, ulong write, uint firstLine, int lines, int quads, Span<uint> draws)
        where TOps : struct, ISimdWordOps<TW> where TW : struct
    {
        ref uint d = ref MemoryMarshal.GetReference(draws);
        TW c2 = TOps.Broadcast((uint)write), c3 = TOps.Broadcast((uint)(write >> 32));
        for (int q = 0; q < quads; q++)
        {
            TW c0 = TOps.Broadcast((uint)q);
            nuint row = (nuint)(4 * q * lines);
            for (int l = 0; l < lines; l += TOps.Count)
            {
                TW x0 = c0, x1 = TOps.Sequence(firstLine + (uint)l), x2 = c2, x3 = c3;
                Rounds<TOps, TW>(ref x0, ref x1, ref x2, ref x3, (uint)key, (uint)(key >> 32));
                nuint at = row + (nuint)l;
                TOps.Store(x0, ref d, at);
                TOps.Store(x1, ref d, at + (nuint)lines);
                TOps.Store(x2, ref d, at + (nuint)(2 * lines));
                TOps.Store(x3, ref d, at + (nuint)(3 * lines));
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
