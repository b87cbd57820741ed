using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// A device array under a SIMD law: one generic row kernel, specialised per width and per law. Lanes are
/// consecutive devices of a row; a block of lanes runs pulse by pulse up to its largest count, each lane taking its
/// own pulse's Gaussian (at its device's offset in the row's Gaussians) while it has pulses left, clipping after every
/// pulse and counting the clipped ones. Blocks without pulses are skipped; the columns past the last whole vector, and
/// the few counted columns of a sparse row, run the law one lane wide with the same operations, so every width gives
/// the same bits.
/// </summary>
internal sealed class LawArray<TLaw> : DeviceArray where TLaw : struct, IPulseLaw
{
    private TLaw _law;

    public LawArray(TLaw law, DeviceArrayState state) : base(state, law.Noisy ? 1 : 0, state.Persistent is not null ? 1 : 0)
    {
        _law = law;
        Refresh();
    }

    public override void Refresh() => _law.Load(State.Parameters, State.ParametersPerDevice);

    protected override long Kernel(int firstDevice, int columns, ReadOnlySpan<int> only, float[] counts, int[] offsets, float[] gaussians, RandomStream random)
    {
        if (Sparse(only.Length, columns))
        {
            // A sparse row: its few devices one by one.
            long clipped = 0;
            foreach (int j in only) clipped += One(firstDevice, j, counts, offsets, gaussians);
            return clipped;
        }
        return SimdDispatch.For(columns) switch
        {
            SimdWidth.V512 => Row<SimdLaw512, Vector512<float>>(firstDevice, columns, counts, offsets, gaussians),
            SimdWidth.V256 => Row<SimdLaw256, Vector256<float>>(firstDevice, columns, counts, offsets, gaussians),
            SimdWidth.V128 => Row<SimdLaw128, Vector128<float>>(firstDevice, columns, counts, offsets, gaussians),
            _ => Row<SimdLawScalar, float>(firstDevice, columns, counts, offsets, gaussians),
        };
    }

    private long Row<TOps, TVec>(int firstDevice, int columns, float[] counts, int[] offsets, float[] gaussians)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        long clipped = 0;
        int j = 0;
        ref float countRef = ref MemoryMarshal.GetArrayDataReference(counts);
        if (TOps.Count > 1)
        {
            // Blocks with pulses go two at a time: a block's pulses form one dependent chain (a division per pulse for
            // the soft-bounds laws), so two independent chains keep the core busy where one waited on latency.
            // Clipped pulses are counted per lane over the row (exact in float: at most a row's pulses) and summed once.
            int pending = -1;
            TVec clips = TOps.Zero;
            for (; j + TOps.Count <= columns; j += TOps.Count)
            {
                if (!TOps.AnyBitSet(TOps.Load(ref countRef, (nuint)j))) continue;
                if (pending < 0) { pending = j; continue; }
                Blocks<TOps, TVec>(firstDevice, pending, j, counts, offsets, gaussians, ref clips);
                pending = -1;
            }
            if (pending >= 0) Blocks<TOps, TVec>(firstDevice, pending, -1, counts, offsets, gaussians, ref clips);
            clipped += Sum<TOps, TVec>(clips);
        }
        for (; j < columns; j++) clipped += One(firstDevice, j, counts, offsets, gaussians);
        return clipped;
    }

    public override long ApplyNow(int k, int n, int direction, RandomStream random)
    {
        TLaw law = _law;
        DeviceArrayState s = State;
        bool noisy = law.Noisy;
        bool up = direction > 0;
        float lo = s.MinBounds[k], hi = s.MaxBounds[k];
        float[] pulsed = s.Pulsed;
        float w = pulsed[k];
        long clipped = 0;
        for (int t = 0; t < n; t++)
        {
            float next = law.PulseOne(w, up, lo, hi, k, noisy ? random.NextGaussian() : 0f);
            if (next > hi) { next = hi; clipped++; }
            else if (next < lo) { next = lo; clipped++; }
            w = next;
        }
        pulsed[k] = w;
        if (s.Persistent is not null) s.Weights[k] = w + s.WriteNoise * random.NextGaussian();
        return clipped;
    }

    // One device (column j): the law one lane wide, pulse by pulse, its Gaussians consecutive from its offset. The
    // same operations as a vector lane, so the same bits.
    private long One(int firstDevice, int j, float[] counts, int[] offsets, float[] gaussians)
    {
        float signed = counts[j];
        if (signed == 0) return 0;
        counts[j] = 0;
        TLaw law = _law;
        DeviceArrayState s = State;
        int k = firstDevice + j, n = (int)MathF.Abs(signed), g = offsets[j];
        bool noisy = law.Noisy;
        bool up = signed > 0;
        float lo = s.MinBounds[k], hi = s.MaxBounds[k];
        float[] pulsed = s.Pulsed;
        float w = pulsed[k];
        long clipped = 0;
        for (int t = 0; t < n; t++)
        {
            float next = law.PulseOne(w, up, lo, hi, k, noisy ? gaussians[g + t] : 0f);
            if (next > hi) { next = hi; clipped++; }
            else if (next < lo) { next = lo; clipped++; }
            w = next;
        }
        pulsed[k] = w;
        // What reads see is redrawn once the device is written (aihwkit draws it after every pulse; only the last draw
        // stays visible): the device's last Gaussian.
        if (s.Persistent is not null) s.Weights[k] = w + s.WriteNoise * gaussians[g + (noisy ? n : 0)];
        return clipped;
    }

    // One or two vectors of devices (columns ja and jb; jb < 0: one), each with at least one pulse: pulse by pulse up to
    // their largest count, each lane stepping while it has pulses left; their clipped pulses are added to `clips`. Each lane sees the same operations whether its
    // vector runs alone or beside another, so the pairing does not change the bits.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Blocks<TOps, TVec>(int firstDevice, int ja, int jb, float[] counts, int[] offsets, float[] gaussians, ref TVec clips)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TLaw law = _law;
        DeviceArrayState s = State;
        bool noisy = law.Noisy, two = jb >= 0;
        Unsafe.SkipInit(out LaneInts lastA);
        Unsafe.SkipInit(out LaneInts startA);
        Unsafe.SkipInit(out LaneInts lastB);
        Unsafe.SkipInit(out LaneInts startB);
        int most = Lanes<TOps, TVec>(ja, counts, offsets, ref lastA, ref startA, out TVec nA);
        TVec nB = TOps.Zero;
        if (two) most = Math.Max(most, Lanes<TOps, TVec>(jb, counts, offsets, ref lastB, ref startB, out nB));
        nuint ka = (nuint)(firstDevice + ja), kb = two ? (nuint)(firstDevice + jb) : ka;
        TVec upA = TOps.GreaterThan(nA, TOps.Zero), upB = TOps.GreaterThan(nB, TOps.Zero);
        nA = TOps.Abs(nA);
        nB = TOps.Abs(nB);
        ref float minRef = ref MemoryMarshal.GetArrayDataReference(s.MinBounds), maxRef = ref MemoryMarshal.GetArrayDataReference(s.MaxBounds);
        ref float pulsedRef = ref MemoryMarshal.GetArrayDataReference(s.Pulsed);
        TVec loA = TOps.Load(ref minRef, ka), hiA = TOps.Load(ref maxRef, ka), wA = TOps.Load(ref pulsedRef, ka);
        TVec loB = TOps.Load(ref minRef, kb), hiB = TOps.Load(ref maxRef, kb), wB = TOps.Load(ref pulsedRef, kb);
        TVec clipA = TOps.Zero, clipB = TOps.Zero, xiA = TOps.Zero, xiB = TOps.Zero;
        for (int t = 0; t < most; t++)
        {
            if (noisy) xiA = TOps.Gather(gaussians, ref startA[0], ref lastA[0], t);
            Step<TOps, TVec>(law, t, nA, upA, loA, hiA, ka, xiA, ref wA, ref clipA);
            if (!two) continue;
            if (noisy) xiB = TOps.Gather(gaussians, ref startB[0], ref lastB[0], t);
            Step<TOps, TVec>(law, t, nB, upB, loB, hiB, kb, xiB, ref wB, ref clipB);
        }
        Finish<TOps, TVec>(s, noisy, ka, nA, wA, gaussians, ref startA, ref lastA);
        if (two) Finish<TOps, TVec>(s, noisy, kb, nB, wB, gaussians, ref startB, ref lastB);
        clips = TOps.Add(clips, TOps.Add(clipA, clipB));
    }

    // A vector's signed counts (returned in `signed`, then consumed), each lane's last pulse and Gaussian offset as
    // integers; returns the largest count. In vectors (a lane loop with a float-to-int conversion per lane took about a
    // fifth of an EcRam write): counts are whole numbers below 2^24, exact in float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Lanes<TOps, TVec>(int j, float[] counts, int[] offsets, ref LaneInts last, ref LaneInts start, out TVec signed)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        ref float countRef = ref MemoryMarshal.GetArrayDataReference(counts);
        signed = TOps.Load(ref countRef, (nuint)j);
        TOps.Store(TOps.Zero, ref countRef, (nuint)j);
        TVec count = TOps.Abs(signed);
        TOps.Store(TOps.TruncateToInt32Bits(TOps.Max(TOps.Subtract(count, TOps.Broadcast(1f)), TOps.Zero)), ref Unsafe.As<int, float>(ref last[0]), 0);
        // A lane without pulses starts at 0 (its offset is stale): the offset's bits kept where the count is not zero.
        ref float offsetBits = ref Unsafe.As<int, float>(ref MemoryMarshal.GetArrayDataReference(offsets));
        TOps.Store(TOps.And(TOps.Load(ref offsetBits, (nuint)j), TOps.GreaterThan(count, TOps.Zero)), ref Unsafe.As<int, float>(ref start[0]), 0);
        return (int)BitConverter.UInt32BitsToSingle(TOps.MaxLaneBits(count));
    }

    // Pulse t on the lanes that have it: the law's step, clipped to the bounds, the clipped pulses counted.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TOps, TVec>(in TLaw law, int t, TVec n, TVec up, TVec lo, TVec hi, nuint k, TVec xi, ref TVec w, ref TVec clip)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TVec active = TOps.GreaterThan(n, TOps.Broadcast(t));
        TVec next = law.Pulse<TOps, TVec>(w, up, lo, hi, k, xi);
        TVec over = TOps.GreaterThan(next, hi), under = TOps.LessThan(next, lo);
        next = TOps.Select(over, hi, TOps.Select(under, lo, next));
        clip = TOps.Add(clip, TOps.And(TOps.And(TOps.Or(over, under), active), TOps.Broadcast(1f)));
        w = TOps.Select(active, next, w);
    }

    // The new weights, and what reads see: the device's Gaussian after its pulses' (write noise, as in One).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TOps, TVec>(DeviceArrayState s, bool noisy, nuint k, TVec n, TVec w, float[] gaussians, ref LaneInts start, ref LaneInts last)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TOps.Store(w, ref MemoryMarshal.GetArrayDataReference(s.Pulsed), k);
        if (s.Persistent is null) return;
        ref float weights = ref MemoryMarshal.GetArrayDataReference(s.Weights);
        TVec noise = TOps.Gather(gaussians, ref start[0], ref last[0], noisy ? -1 : 0);
        TVec visible = TOps.Add(w, TOps.Multiply(TOps.Broadcast(s.WriteNoise), noise));
        TOps.Store(TOps.Select(TOps.GreaterThan(n, TOps.Zero), visible, TOps.Load(ref weights, k)), ref weights, k);
    }

    private static long Sum<TOps, TVec>(TVec value) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        Unsafe.SkipInit(out LaneFloats lanes);
        TOps.Store(value, ref MemoryMarshal.GetReference((Span<float>)lanes), 0);
        long sum = 0;
        for (int l = 0; l < TOps.Count; l++) sum += (long)lanes[l];
        return sum;
    }

    [InlineArray(16)]
    private struct LaneInts { private int _lane; }

    [InlineArray(16)]
    private struct LaneFloats { private float _lane; }
}
