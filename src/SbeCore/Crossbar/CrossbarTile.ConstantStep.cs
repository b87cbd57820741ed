using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Devices.Arrays;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// The hot path of pulsed training: single-word masks (BL <= 64) on a ConstantStep device.
// Each device (i, j) gets n = PopCount(rowMask_i & colMask_j) pulses, applied as one aggregated step
// s (n + std sqrt(n) xi). Rows with an empty mask are skipped. Columns go in blocks of 16; each device with pulses
// takes the next Gaussian of its row's keyed stream, in column order, on every path (the vector block through an
// expanding load), so every path reads the same draws: the Vector512, Vector256, Vector128 and scalar paths give bit-identical weights and counters
// (one generic block body over the kernels' ISimdBitOps, in 16 / Count chunks).
public sealed partial class CrossbarTile
{
    private const int Block = PulseWrite.Block;

    // The per-field copies of the hidden parameters (the device array's law), re-read after the interleaved
    // parameters change (construction, load).
    private void RefreshDeviceArrays() => _array?.Refresh();

    private void CoincideConstantStep(PulseContext c, PulseWrite w, int first, int end)
    {
        long total = 0, clipped = 0;
        RandomStream random = c.Random;
        bool noisy = _constantStep!.Std > 0;
        int active = w.Active;
        int[] activeBlocks = w.ActiveBlocks;
        ulong[] blockUnion = w.BlockUnion;
        // A block is 16 floats, a whole vector at every width, so the widest width in force is taken.
        SimdWidth width = SimdDispatch.Widest;
        for (int i = first; i < end; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            float rowDir = w.RowDirection[i];
            if (noisy) EnterRow(c, i, 0);
            if (width == SimdWidth.V512) RowBlocks512(c, w, i, rowMask, rowDir, ref total, ref clipped);
            else if (width == SimdWidth.V256) RowBlocks256(c, w, i, rowMask, rowDir, ref total, ref clipped);
            else if (width == SimdWidth.V128) RowBlocks128(c, w, i, rowMask, rowDir, ref total, ref clipped);
            else
            {
                for (int a = 0; a < active; a++)
                {
                    if ((rowMask & blockUnion[a]) == 0) continue;
                    int j = activeBlocks[a] * Block;
                    RowBlockScalar(w, i, j, Math.Min(Block, Cols - j), rowMask, rowDir, random, ref total, ref clipped);
                }
            }
        }
        c.Pulses += total;
        c.Clipped += clipped;
    }

    // Few firing columns: each firing row visits them one by one, one Gaussian per device that got pulses, the law's
    // aggregated step, with the arrays in locals so the loop compiles tight without profile-guided inlining (the
    // NativeAOT library has none).
    private void CoincideConstantStepSparse(PulseContext c, PulseWrite w, int first, int end)
    {
        float std = _constantStep!.Std;
        float[] weights = _weights, up = _constantStep.ScaleUp, down = _constantStep.ScaleDown;
        long[] pulses = Counters.PulsesPerDeviceArray;
        ulong[] colMasks = w.ColMasks;
        sbyte[] signs = w.ColSign;
        var firingCols = w.FiringCols.AsSpan(0, w.Firing);
        RandomStream random = c.Random;
        long total = 0, clipped = 0;
        for (int i = first; i < end; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            if (std > 0) EnterRow(c, i, 0);
            int rowDir = w.RowDirection[i];
            int row = i * Cols;
            foreach (int j in firingCols)
            {
                int n = BitOperations.PopCount(rowMask & colMasks[j]);
                if (n == 0) continue;
                int k = row + j;
                pulses[k] += n;
                total += n;
                int direction = rowDir * signs[j];
                float step = direction > 0 ? up[k] : down[k];
                float sum = ConstantStepLaw.Aggregate<SimdLawScalar, float>(step, n, std, std > 0 ? random.NextGaussian() : 0f);
                float before = weights[k];
                float next = before + direction * sum;
                ConstantStepLaw.Clip(n, before, step, _wMin[k], _wMax[k], ref next, ref clipped);
                weights[k] = next;
            }
        }
        c.Pulses += total;
        c.Clipped += clipped;
    }

    private void RowBlockScalar(PulseWrite w, int i, int j0, int count, ulong rowMask, float rowDir, RandomStream random, ref long total, ref long clipped)
    {
        Span<int> counts = stackalloc int[Block];
        bool any = false;
        for (int l = 0; l < count; l++)
        {
            counts[l] = BitOperations.PopCount(rowMask & w.ColMasks[j0 + l]);
            any |= counts[l] != 0;
        }
        if (!any) return;
        float std = _constantStep!.Std;
        float[] up = _constantStep.ScaleUp, down = _constantStep.ScaleDown;
        for (int l = 0; l < count; l++)
        {
            int n = counts[l];
            if (n == 0) continue;
            int j = j0 + l, k = i * Cols + j;
            Counters.PulsesPerDeviceArray[k] += n;
            total += n;
            float direction = rowDir * w.ColDirection[j];
            float step = direction > 0 ? up[k] : down[k];
            float sum = ConstantStepLaw.Aggregate<SimdLawScalar, float>(step, n, std, std > 0 ? random.NextGaussian() : 0f);
            float before = _weights[k];
            float next = before + direction * sum;
            ConstantStepLaw.Clip(n, before, step, _wMin[k], _wMax[k], ref next, ref clipped);
            _weights[k] = next;
        }
    }

    // Width entry points of the block step (tests reach each through SimdDispatch.Force).
    private void RowBlocks512(PulseContext c, PulseWrite w, int i, ulong rowMask, float rowDir, ref long total, ref long clipped)
        => RowBlocks<Simd512, Vector512<float>, Vector512<ulong>, SimdLaw512>(c, w, i, rowMask, rowDir, ref total, ref clipped);
    private void RowBlocks256(PulseContext c, PulseWrite w, int i, ulong rowMask, float rowDir, ref long total, ref long clipped)
        => RowBlocks<Simd256, Vector256<float>, Vector256<ulong>, SimdLaw256>(c, w, i, rowMask, rowDir, ref total, ref clipped);
    private void RowBlocks128(PulseContext c, PulseWrite w, int i, ulong rowMask, float rowDir, ref long total, ref long clipped)
        => RowBlocks<Simd128, Vector128<float>, Vector128<ulong>, SimdLaw128>(c, w, i, rowMask, rowDir, ref total, ref clipped);

    // A row's active blocks in column order, a partial last block by the scalar path. Each full block of 16 devices
    // goes in Block / Count chunks of Count lanes: the coincidences give the counts in register, the law's step (TLaw:
    // the same width's law operations) applies them and clips the lanes that left [w_min, w_max]. The lanes with pulses
    // take the row's next Gaussians in lane (column) order, as the scalar path does, through an expanding load. Each
    // width is its own specialised method. The blocks run in `BlockRun`, which makes no calls (across a call, the
    // compiler keeps every live vector and most refs on the stack, vector registers being caller-saved): the Gaussians
    // are topped up here between runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RowBlocks<TOps, TVec, TBits, TLaw>(PulseContext c, PulseWrite w, int i, ulong rowMask, float rowDir, ref long total, ref long clipped)
        where TOps : struct, ISimdBitOps<TVec, TBits>, ISimdExpandOps<TVec> where TVec : struct where TBits : struct where TLaw : struct, ISimdLawOps<TVec>
    {
        bool noisy = _constantStep!.Std > 0;
        if (Counters.PendingPulses.Length != Rows * Cols) throw new InvalidOperationException("A fused block ran without pending pulse counts (RunRows begins them).");
        var run = new BlockRunState { Partial = -1 };
        while (run.Next < w.Active)
        {
            if (noisy) c.Random.EnsureGaussians(MaxBlockGaussians);
            BlockRun<TOps, TVec, TBits, TLaw>(c, w, i, rowMask, rowDir, ref run);
        }
        total += run.Pulses;
        clipped += run.Clipped;
        if (run.Partial >= 0) RowBlockScalar(w, i, run.Partial, Cols - run.Partial, rowMask, rowDir, c.Random, ref total, ref clipped);
    }

    /// <summary>Where a row's blocks stand: the next active block, the partial last block's first column (or -1) and
    /// the pulses counted and clipped.</summary>
    private struct BlockRunState
    {
        public int Next, Partial;
        public long Pulses, Clipped;
    }

    // Blocks from run.Next on while the stream's buffered Gaussians cover a whole block; no calls.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BlockRun<TOps, TVec, TBits, TLaw>(PulseContext c, PulseWrite w, int i, ulong rowMask, float rowDir, ref BlockRunState run)
        where TOps : struct, ISimdBitOps<TVec, TBits>, ISimdExpandOps<TVec> where TVec : struct where TBits : struct where TLaw : struct, ISimdLawOps<TVec>
    {
        int active = w.Active, cols = Cols, lanes = TOps.Count, half = lanes / 2;
        int[] activeBlocks = w.ActiveBlocks;
        ulong[] blockUnion = w.BlockUnion;
        float std = _constantStep!.Std;
        bool noisy = std > 0;
        RandomStream random = c.Random;
        ref ulong colMasks = ref MemoryMarshal.GetArrayDataReference(w.ColMasks);
        ref float colDirection = ref MemoryMarshal.GetArrayDataReference(w.ColDirection);
        // Pulse counts go to the counters' pending float lanes (TileCounters): one add per chunk, exact.
        ref float pendingPulses = ref MemoryMarshal.GetArrayDataReference(Counters.PendingPulses);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref float up = ref MemoryMarshal.GetArrayDataReference(_constantStep.ScaleUp);
        ref float down = ref MemoryMarshal.GetArrayDataReference(_constantStep.ScaleDown);
        ref float wMax = ref MemoryMarshal.GetArrayDataReference(_wMax);
        ref float wMin = ref MemoryMarshal.GetArrayDataReference(_wMin);
        ref float gaussians = ref MemoryMarshal.GetArrayDataReference(random.GaussianBuffer);
        int g = noisy ? random.GaussianPosition : 0, gEnd = noisy ? random.GaussianEnd : 0;
        TBits rowMaskV = TOps.BroadcastBits(rowMask);
        TVec rowDirV = TOps.Broadcast(rowDir);
        int a = run.Next;
        long clipped = 0;
        TBits pulseSum = TOps.BroadcastBits(0); // summed across lanes once, after the run
        for (; a < active; a++)
        {
            if ((rowMask & blockUnion[a]) == 0) continue;
            int j = activeBlocks[a] * Block;
            if (j + Block > cols) { run.Partial = j; a = active; break; } // the last active block
            if (noisy && g + Block > gEnd) break; // top up the Gaussians first
            for (int part = 0; part < Block; part += lanes)
            {
                int jp = j + part;
                nuint k = (nuint)(i * cols + jp);
                TBits c0 = TOps.PopCountBits(TOps.AndBits(TOps.LoadBits(ref colMasks, (nuint)jp), rowMaskV));
                TBits c1 = TOps.PopCountBits(TOps.AndBits(TOps.LoadBits(ref colMasks, (nuint)(jp + half)), rowMaskV));
                TVec n = TOps.NarrowToSingle(c0, c1);
                if (!TOps.AnyBitSet(n)) continue;
                TOps.Store(TOps.Add(TOps.Load(ref pendingPulses, k), n), ref pendingPulses, k);
                pulseSum = TOps.AddBits(pulseSum, TOps.AddBits(c0, c1));

                TVec direction = TOps.Multiply(rowDirV, TOps.Load(ref colDirection, (nuint)jp));
                TVec step = TOps.Select(TOps.GreaterThan(direction, TOps.Zero), TOps.Load(ref up, k), TOps.Load(ref down, k));
                TVec xi = TOps.Zero;
                if (noisy)
                {
                    TVec live = TOps.GreaterThan(n, TOps.Zero);
                    uint liveBits = TOps.MaskBits(live);
                    xi = TOps.LoadExpanded(ref Unsafe.Add(ref gaussians, g), live, liveBits);
                    g += BitOperations.PopCount(liveBits);
                }
                TVec sum = ConstantStepLaw.Aggregate<TLaw, TVec>(step, n, std, xi);
                TVec before = TOps.Load(ref weights, k);
                // Lanes without pulses keep their weight bit for bit (also a -0).
                TVec next = TOps.Select(TOps.EqualTo(n, TOps.Zero), before, TOps.Add(before, TOps.Multiply(direction, sum)));
                next = ConstantStepLaw.ClipLanes<TLaw, TVec>(next, before, n, step, TOps.Load(ref wMin, k), TOps.Load(ref wMax, k), ref clipped);
                TOps.Store(next, ref weights, k);
            }
        }
        if (noisy) random.GaussianPosition = g;
        run.Next = a; run.Clipped += clipped; run.Pulses += (long)TOps.SumBits(pulseSum);
    }

    // Gaussians topped up before a run of blocks (RandomStream.EnsureGaussians' most): a block takes at most 16.
    private const int MaxBlockGaussians = 64;
}
