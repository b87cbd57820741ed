using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Numerics;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// The devices of one tile under one law: the state every law shares (weights, the hidden persistent weights of
/// write noise, bounds) and the law's own per-device fields, and the kernel that applies a row of pulse counts
/// with clipping and clipped-pulse counting. The tile produces the counts (probabilities, masks, coincidences);
/// the array applies them.
/// </summary>
internal abstract class DeviceArray
{
    /// <param name="state">The tile's arrays.</param>
    /// <param name="gaussiansPerPulse">Gaussians each pulse takes (0 or 1), drawn ahead of the kernel.</param>
    /// <param name="gaussiansPerDevice">Gaussians each device with pulses takes after its pulses' (write noise;
    /// ConstantStep's aggregated step), drawn ahead too.</param>
    protected DeviceArray(DeviceArrayState state, int gaussiansPerPulse, int gaussiansPerDevice)
    {
        State = state;
        _perPulse = gaussiansPerPulse;
        _perDevice = gaussiansPerDevice;
    }

    private readonly int _perPulse, _perDevice;

    /// <summary>The arrays the kernel reads and writes (the tile's own).</summary>
    protected DeviceArrayState State { get; }

    /// <summary>Re-reads the law's fields from the interleaved hidden parameters (after a load or a re-sample).</summary>
    public abstract void Refresh();

    /// <summary>
    /// Records n pulses in <paramref name="direction"/> on column j of the row being written, and where its Gaussians
    /// will be: the row's Gaussians are laid out device by device in the order the columns are counted (ascending),
    /// each device's pulses' then its own (write noise), the order one NextGaussian per draw would take them and a
    /// layout that does not depend on the vector width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(PulseRowScratch scratch, int j, int n, int direction) =>
        Record(scratch, j, n, direction, ref scratch.Placed, ref scratch.CountedColumns);

    // Count's records, with the running offset and list length wherever the caller keeps them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record(PulseRowScratch scratch, int j, int n, int direction, ref int placed, ref int listed)
    {
        scratch.Counts[j] = direction * (float)n;
        scratch.Offsets[j] = placed;
        placed += _perPulse * n + _perDevice;
        scratch.Counted[listed++] = j;
    }

    /// <summary>
    /// <see cref="Count"/> for each firing column j of a row whose coincidence with it, popcount(rowMask &amp; colMasks[j]),
    /// is not 0 (direction rowDirection * colSigns[j]), in the order listed; adds each device's pulses to
    /// <paramref name="deviceCounters"/>[j] and returns the row's. The same records as one Count per device, with the
    /// running offset and list length in registers (through the scratch they were a dependent chain through memory).
    /// </summary>
    public long CountSingleWordRow(PulseRowScratch scratch, ulong rowMask, int rowDirection, ReadOnlySpan<ulong> colMasks, ReadOnlySpan<sbyte> colSigns,
        ReadOnlySpan<int> firingCols, Span<long> deviceCounters)
    {
        ref ulong masks = ref MemoryMarshal.GetReference(colMasks);
        ref sbyte signs = ref MemoryMarshal.GetReference(colSigns);
        ref long devices = ref MemoryMarshal.GetReference(deviceCounters);
        int placed = scratch.Placed, listed = scratch.CountedColumns;
        long pulses = 0;
        foreach (int j in firingCols)
        {
            int n = BitOperations.PopCount(rowMask & Unsafe.Add(ref masks, j));
            if (n == 0) continue;
            Unsafe.Add(ref devices, j) += n;
            pulses += n;
            Record(scratch, j, n, rowDirection * Unsafe.Add(ref signs, j), ref placed, ref listed);
        }
        scratch.Placed = placed;
        scratch.CountedColumns = listed;
        return pulses;
    }

    /// <summary>
    /// Applies the row's counts (device <paramref name="firstDevice"/> + j gets scratch.Counts[j] pulses,
    /// j &lt; <paramref name="columns"/>, recorded by <see cref="Count"/>), drawing the row's Gaussians from
    /// <paramref name="random"/>, and zeroes the counts. Returns the clipped pulses. When few columns were counted
    /// (<see cref="Sparse"/>: a training write) the kernel visits them one by one instead of scanning the row.
    /// </summary>
    public long ApplyRow(int firstDevice, int columns, PulseRowScratch scratch, RandomStream random)
    {
        int gaussians = scratch.Placed, counted = scratch.CountedColumns;
        scratch.Placed = 0;
        scratch.CountedColumns = 0;
        if (counted == 0) return 0;
        return Apply(firstDevice, columns, scratch.Counted.AsSpan(0, counted), scratch.Counts, scratch.Offsets, gaussians, scratch, random);
    }

    /// <summary>n pulses in <paramref name="direction"/> on device k at once, the Gaussians straight from
    /// <paramref name="random"/> (a unit cell's device, a sparse write's few devices: no row to gather); the same
    /// draws in the same order as a row's, so the same bits. Returns the clipped pulses.</summary>
    public abstract long ApplyNow(int k, int n, int direction, RandomStream random);

    private long Apply(int firstDevice, int columns, ReadOnlySpan<int> only, float[] counts, int[] offsets, int gaussians, PulseRowScratch scratch, RandomStream random)
    {
        if (gaussians > 0)
        {
            scratch.EnsureGaussians(gaussians);
            random.DrawGaussians(scratch.Gaussians.AsSpan(0, gaussians));
        }
        return Kernel(firstDevice, columns, only, counts, offsets, scratch.Gaussians, random);
    }

    /// <summary>Whether <paramref name="listed"/> counted columns of <paramref name="columns"/> are few enough to visit
    /// one by one rather than scan the row in vectors (one in eight, as the tile's ConstantStep crossover).</summary>
    protected static bool Sparse(int listed, int columns) => listed != 0 && (long)listed * 8 <= columns;

    /// <summary>Applies the counts (zeroing them) with the Gaussians placed at the offsets, over the whole row or only
    /// the listed columns; returns the clipped pulses.</summary>
    protected abstract long Kernel(int firstDevice, int columns, ReadOnlySpan<int> only, float[] counts, int[] offsets, float[] gaussians, RandomStream random);

    /// <summary>The array for <paramref name="model"/>: a SIMD law for the built-in models (exact types: a derived
    /// record may override <see cref="IDeviceModel.Pulse"/>), the pulse-by-pulse adapter for any other model.</summary>
    public static DeviceArray Create(IDeviceModel model, DeviceArrayState state)
    {
        int devices = state.Weights.Length;
        Type type = model.GetType();
        if (model is ConstantStepDevice constantStep) return new ConstantStepArray(constantStep, state);
        if (type == typeof(LinearStepDevice) || type == typeof(SoftBoundsDevice))
            return new LawArray<LinearStepLaw>(new LinearStepLaw((LinearStepDevice)model, devices), state);
        if (model is ExpStepDevice exp) return new LawArray<ExpStepLaw>(new ExpStepLaw(exp, devices), state);
        if (model is PowStepDevice pow) return new LawArray<PowStepLaw>(new PowStepLaw(pow, devices), state);
        if (model is SoftBoundsReferenceDevice reference) return new LawArray<SoftBoundsReferenceLaw>(new SoftBoundsReferenceLaw(reference, devices), state);
        return new ModelArray(model, state);
    }
}

/// <summary>The tile's arrays a device array works on (shared, not copied).</summary>
internal sealed record DeviceArrayState(float[] Weights, float[]? Persistent, float[] MinBounds, float[] MaxBounds, float WriteNoise, float[] Parameters, int ParametersPerDevice)
{
    /// <summary>What pulses move: the hidden persistent weights with write noise, else the weights.</summary>
    public float[] Pulsed => Persistent ?? Weights;
}
