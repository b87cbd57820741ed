namespace SbeCore.Kernels;

/// <summary>
/// The BLAS kernels' blocking constants, in one place with where each comes from: the cache sizes of the Zen 4 core
/// the project benchmarks on (32 KiB 8-way L1d, 1 MiB L2 per core; 4 KiB pages), and the measurements that picked them
/// (docs/kernels.md). They change speed only, never results: every kernel gives the same bits at every setting, except
/// <see cref="BatchReadBlock"/>, which sets where the batched read's dot products split into partial sums.
/// </summary>
internal static class KernelTuning
{
    /// <summary>Floats of 4 KiB: rows whose stride is a multiple of it fall in the same L1 sets (4 KiB aliasing). Gemv
    /// keeps row groups of 4 at such strides (8 rows x 2 lines plus x overflow the 8 ways: 32x1024 measured 1.34 against
    /// 1.16 us with groups of 4).</summary>
    public const int AliasingStrideFloats = 1024;

    /// <summary>Whether a block of <paramref name="blockRows"/> rows at <paramref name="stride"/> floats crowds the L1 sets
    /// past <paramref name="rowsPerPosition"/>: rows whose byte offsets agree modulo 4 KiB share sets, so the block spreads
    /// over only 4096 / gcd(4 stride, 4096) line positions (at most 64), each with 8 ways.</summary>
    public static bool BlockCrowdsL1Sets(int stride, int blockRows, int rowsPerPosition)
    {
        long a = 4L * stride, b = 4096;
        while (b != 0) (a, b) = (b, a % b); // a = gcd(4 stride, 4096)
        return blockRows > rowsPerPosition * Math.Min(64, 4096 / (int)a);
    }

    /// <summary>Rows of a block per L1 set position past which the transposed batched read packs the block (copies it into
    /// a contiguous panel): 4 with 16 vector registers, whose 4 x 3 tile loads W twice as often per multiply-add (v3
    /// 512x512, 32 rows per position: packed 0.99-1.05x OpenBLAS's time against 1.06-1.22x in place); 32 with 32 registers,
    /// whose 4 x 4 tile has the slack to take W from L2 (v4 512x512: packed 0.90-0.92x against 0.86-0.88x in place; at
    /// strides of 4 KiB, 64 rows per position, packing wins in both). At 100x785 (one row per position) in place wins in
    /// both (the copy buys nothing).</summary>
    public const int PackRowsPerPositionFewRegisters = 4, PackRowsPerPosition = 32;

    /// <summary>Elements of W above which Ger updates blocks of 4 rows on the 512-bit path (1 MiB: W past one core's L2
    /// streams from L3 or memory, where four read and write streams measured faster than two: 4096x4096 about 3.5
    /// against 4.0-4.9 ms; 1024x1024 no worse; in L2, row pairs measured faster: 512x512 12.0 against 13.1 us).</summary>
    public const long GerBlockElements = 1 << 18;

    /// <summary>Elements of W above which Ger goes one row at a time with 256-bit vectors (8 MiB, a quarter of the 32 MiB
    /// L3: W then streams from L3's far end or memory). There one sequential stream that splits few cache lines keeps
    /// pace with memory: at 4096x4096 (C harness, thread CPU time) a row at a time 1.7 ms at any offset of W, four rows at
    /// a time 2.5 ms, 512-bit vectors at a 16-byte offset 2.5 ms (each access splits two lines); 2048x2048 0.18 against
    /// 0.21-0.27 ms; at 1024x1024 (in L3) the blocks stay as fast.</summary>
    public const long GerStreamElements = 1 << 21;

    /// <summary>Up to this many rows and cols, GemvT builds z in registers strip by strip. Past them the row groups
    /// measured faster: at 100x785 (4.3 against 3.3 us), and at strides of 1-4 KiB where a strip's many rows fall in the
    /// same L1 sets (32x1024: 1.9 against 1.4 us; 32x4096: 7.5 against 5.4 us).</summary>
    public const int GemvTStripRows = 32, GemvTStripCols = 256;

    /// <summary>Elements of W (rows x stride) in [From, To) for which GemvT adds rows to z four at a time instead of eight:
    /// W past L2 and in L3 streams faster as four rows (1024x1024, AVX-512, C harness: 47-52 against 51-58 us over the four
    /// offsets; 512x512 and 768x768 measured a few per cent slower), while from memory eight streams keep more loads in flight (4096x4096: four rows
    /// 1.04-1.21x OpenBLAS's time against eight rows' 0.98-1.10x).</summary>
    public const long GemvTFourRowsFrom = 1 << 20, GemvTFourRowsTo = 1 << 22;

    /// <summary>Floats of cols per block of the batched read when cols is past twice this: each output is a sum of blocks'
    /// partial sums, so this sets the batched read's bits for such cols (none of the layers of record is that wide: 785
    /// columns at most). 1024 floats (4 KiB per row; a 4 x 3 tile's rows and inputs 28 KiB): v3 4096x4096 1.17-1.24 ->
    /// 1.01-1.12x OpenBLAS's time against 512 (each block ends in horizontal sums and a read-modify-write of Y; 256
    /// measured 1.3-1.5x), v4 alike (0.82-0.89 -> 0.86); a whole 4096-float row measured no better.</summary>
    public const int BatchReadBlock = 1024;

    /// <summary>Elements of W (rows x stride) past which the batched read prefetches the next tile's rows of a block into
    /// L2 (16 MiB, half of L3: W then comes from memory): v3 4096x4096 1.30-1.35 -> 1.18-1.21x OpenBLAS's time; at
    /// 512x512 and 1024x1024 (W in L2 or L3) the prefetches measured 1-5 % slower.</summary>
    public const long BatchReadPrefetchElements = 1 << 22;

    /// <summary>Rows of W per block of the transposed batched read when rows is large: 64 rows x 4 x 64 bytes = a 16 KiB
    /// strip, half of L1d.</summary>
    public const int BatchReadTransposedBlock = 64;

    /// <summary>Most rows of W per packed block of the transposed batched read (fewer when a tile's columns of that many rows
    /// overflow the 16 KiB panel: 64 with 512-bit vectors). With 256-bit vectors, 128 rows halve the passes over Z per
    /// strip: v3 1024x1024 1.13-1.17 -> 1.07-1.12x OpenBLAS's time, 4096x4096 1.11-1.19 -> 1.04-1.07x (two alternating
    /// runs); 256 rows measured 1.18-1.24x, and 128 with 512-bit vectors (a 32 KiB panel) 0.84-0.90 -> 0.86-0.95x.</summary>
    public const int BatchReadTransposedPackedRows = 128;

    /// <summary>Elements of W (rows x stride) past which the transposed batched read takes its row blocks outermost
    /// (2 MiB, past L2): a block's rows (at large strides a page each) then serve every strip before the next block, and the
    /// next strip's lines are prefetched while a strip is packed. v3 1024x1024 1.13-1.17 -> 1.08-1.15x OpenBLAS's time
    /// against strips outermost (C harness, 3 rounds); at 4096x4096 both orders measured alike.</summary>
    public const long BatchReadTransposedRowsOuter = 1 << 19;
}
