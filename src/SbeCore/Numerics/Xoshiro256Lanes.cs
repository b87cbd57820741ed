using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Numerics;

/// <summary>
/// Eight independent xoshiro256** generators advanced in lock-step, so a bulk fill runs as one
/// Vector512 (or two Vector256) step per eight outputs. The output order is fixed (block b, lane l
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

    /// <summary>Fills <paramref name="destination"/> (length a multiple of <see cref="Lanes"/>) with random 64-bit words.</summary>
    public void Fill(Span<ulong> destination)
    {
        if (destination.Length % Lanes != 0) throw new ArgumentException($"destination has {destination.Length} words, not a multiple of {Lanes}.", nameof(destination));
        if (Vector512.IsHardwareAccelerated) Fill512(destination);
        else if (Vector256.IsHardwareAccelerated) Fill256(destination);
        else FillScalar(destination);
    }

    internal void Fill512(Span<ulong> destination)
    {
        ref ulong s = ref MemoryMarshal.GetArrayDataReference(_state);
        var s0 = Vector512.LoadUnsafe(ref s, 0); var s1 = Vector512.LoadUnsafe(ref s, 8);
        var s2 = Vector512.LoadUnsafe(ref s, 16); var s3 = Vector512.LoadUnsafe(ref s, 24);
        ref ulong d = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; i < (nuint)destination.Length; i += Lanes)
        {
            var m5 = (s1 << 2) + s1;
            var r = (m5 << 7) | (m5 >>> 57);
            ((r << 3) + r).StoreUnsafe(ref d, i);
            var t = s1 << 17;
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
            s3 = (s3 << 45) | (s3 >>> 19);
        }
        s0.StoreUnsafe(ref s, 0); s1.StoreUnsafe(ref s, 8); s2.StoreUnsafe(ref s, 16); s3.StoreUnsafe(ref s, 24);
    }

    internal void Fill256(Span<ulong> destination)
    {
        ref ulong s = ref MemoryMarshal.GetArrayDataReference(_state);
        ref ulong d = ref MemoryMarshal.GetReference(destination);
        for (nuint half = 0; half < Lanes; half += 4)
        {
            var s0 = Vector256.LoadUnsafe(ref s, half); var s1 = Vector256.LoadUnsafe(ref s, 8 + half);
            var s2 = Vector256.LoadUnsafe(ref s, 16 + half); var s3 = Vector256.LoadUnsafe(ref s, 24 + half);
            for (nuint i = half; i < (nuint)destination.Length; i += Lanes)
            {
                var m5 = (s1 << 2) + s1;
                var r = (m5 << 7) | (m5 >>> 57);
                ((r << 3) + r).StoreUnsafe(ref d, i);
                var t = s1 << 17;
                s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
                s3 = (s3 << 45) | (s3 >>> 19);
            }
            s0.StoreUnsafe(ref s, half); s1.StoreUnsafe(ref s, 8 + half); s2.StoreUnsafe(ref s, 16 + half); s3.StoreUnsafe(ref s, 24 + half);
        }
    }

    internal void FillScalar(Span<ulong> destination)
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
