using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Numerics;

/// <summary>
/// Eight independent xoshiro256** generators advanced in lock-step, so a bulk fill runs as one
/// Vector512 step (or two Vector256, or four Vector128 steps) per eight outputs. The output order is fixed (block b, lane l
/// goes to index 8b + l), so every ISA path produces the same bits.
/// </summary>
public sealed class Xoshiro256Lanes
{
    /// <summary>Number of interleaved generators; bulk fills come in multiples of it.</summary>
    public const int Lanes = 8;

    /// <summary>Number of ulong words in <see cref="GetState"/>/<see cref="SetState"/>.</summary>
    public const int StateWords = 4 * Lanes;

    // Layout: s0[0..8), s1[8..16), s2[16..24), s3[24..32).
    private readonly ulong[] _state = new ulong[StateWords];

    /// <summary>Seeds every lane from one <see cref="Xoshiro256"/> stream seeded with <paramref name="seed"/>.</summary>
    public Xoshiro256Lanes(ulong seed)
    {
        var seeder = new Xoshiro256(seed);
        for (int i = 0; i < StateWords; i++) _state[i] = seeder.NextUInt64();
        for (int lane = 0; lane < Lanes; lane++)
        {
            // An all-zero lane would be stuck at zero forever (probability 2^-256, but be exact).
            if ((_state[lane] | _state[8 + lane] | _state[16 + lane] | _state[24 + lane]) == 0) _state[lane] = 1;
        }
    }

    /// <summary>Copies the 32-word state (for save/load).</summary>
    public void GetState(Span<ulong> destination)
    {
        if (destination.Length != StateWords) throw new ArgumentException($"destination has {destination.Length} words, expected {StateWords}.", nameof(destination));
        _state.CopyTo(destination);
    }

    /// <summary>Restores a state captured by <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateWords) throw new ArgumentException($"state has {state.Length} words, expected {StateWords}.", nameof(state));
        for (int lane = 0; lane < Lanes; lane++)
        {
            if ((state[lane] | state[8 + lane] | state[16 + lane] | state[24 + lane]) == 0)
                throw new ArgumentException($"Lane {lane} of the xoshiro state is all zero.", nameof(state));
        }
        state.CopyTo(_state);
    }

    /// <summary>Sets the state to <paramref name="state"/> (<see cref="StateWords"/> random words, e.g. a keyed
    /// generator's output); a lane that came out all zero (probability 2^-256) gets a 1, as seeding does.</summary>
    internal void Reseed(ReadOnlySpan<ulong> state)
    {
        state.Slice(0, StateWords).CopyTo(_state);
        for (int lane = 0; lane < Lanes; lane++)
            if ((_state[lane] | _state[8 + lane] | _state[16 + lane] | _state[24 + lane]) == 0) _state[lane] = 1;
    }

    /// <summary>Fills <paramref name="destination"/> (length a multiple of <see cref="Lanes"/>) with random 64-bit words.</summary>
    public void Fill(Span<ulong> destination)
    {
        if (destination.Length % Lanes != 0) throw new ArgumentException($"destination has {destination.Length} words, not a multiple of {Lanes}.", nameof(destination));
        switch (SimdDispatch.ForDouble(destination.Length))
        {
            case SimdWidth.V512: FillCore<Simd512, Vector512<float>, Vector512<ulong>>(destination); break;
            case SimdWidth.V256: FillCore<Simd256, Vector256<float>, Vector256<ulong>>(destination); break;
            case SimdWidth.V128: FillCore<Simd128, Vector128<float>, Vector128<ulong>>(destination); break;
            default: FillScalar(destination); break;
        }
    }

    // The eight generators in groups of one vector's worth of 64-bit lanes (one group at 512 bits, two at 256, four
    // at 128), each group run through the whole destination: output word 8b + l is always generator l's b-th draw.
    private void FillCore<TOps, TVec, TBits>(Span<ulong> destination)
        where TOps : struct, ISimdBitOps<TVec, TBits> where TVec : struct where TBits : struct
    {
        ref ulong s = ref MemoryMarshal.GetArrayDataReference(_state);
        ref ulong d = ref MemoryMarshal.GetReference(destination);
        nuint group = (nuint)TOps.Count / 2, length = (nuint)destination.Length;
        for (nuint first = 0; first < Lanes; first += group)
        {
            TBits s0 = TOps.LoadBits(ref s, first), s1 = TOps.LoadBits(ref s, 8 + first);
            TBits s2 = TOps.LoadBits(ref s, 16 + first), s3 = TOps.LoadBits(ref s, 24 + first);
            for (nuint i = first; i < length; i += Lanes)
            {
                // result = rotl(s1 * 5, 7) * 9, with the multiplies as shifts and adds (no 64-bit vector multiply before AVX-512)
                TBits m5 = TOps.AddBits(TOps.ShiftLeftBits(s1, 2), s1);
                TBits r = TOps.RotateLeftBits(m5, 7);
                TOps.StoreBits(TOps.AddBits(TOps.ShiftLeftBits(r, 3), r), ref d, i);
                TBits t = TOps.ShiftLeftBits(s1, 17);
                s2 = TOps.XorBits(s2, s0); s3 = TOps.XorBits(s3, s1); s1 = TOps.XorBits(s1, s2); s0 = TOps.XorBits(s0, s3);
                s2 = TOps.XorBits(s2, t);
                s3 = TOps.RotateLeftBits(s3, 45);
            }
            TOps.StoreBits(s0, ref s, first); TOps.StoreBits(s1, ref s, 8 + first);
            TOps.StoreBits(s2, ref s, 16 + first); TOps.StoreBits(s3, ref s, 24 + first);
        }
    }

    private void FillScalar(Span<ulong> destination)
    {
        for (int lane = 0; lane < Lanes; lane++)
        {
            ulong s0 = _state[lane], s1 = _state[8 + lane], s2 = _state[16 + lane], s3 = _state[24 + lane];
            for (int i = lane; i < destination.Length; i += Lanes)
            {
                destination[i] = Next(ref s0, ref s1, ref s2, ref s3);
            }
            _state[lane] = s0; _state[8 + lane] = s1; _state[16 + lane] = s2; _state[24 + lane] = s3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Next(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = System.Numerics.BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = System.Numerics.BitOperations.RotateLeft(s3, 45);
        return result;
    }
}
