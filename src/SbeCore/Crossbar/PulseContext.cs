using SbeCore.Devices.Arrays;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

/// <summary>
/// What one thread of a pulsed write owns: the rows it runs, its keyed random stream (the Gaussians and uniforms of
/// one row at a time), its mask-draw scratch and its counter sums, merged into the tile's counters when the write
/// ends (sums of integers, so the order of the merge does not matter).
/// </summary>
internal sealed class PulseContext
{
    public PulseContext(ulong gaussianKey, ulong uniformKey) => Random = RandomStream.Keyed(gaussianKey, uniformKey);

    /// <summary>Draws of the row group being written (see <see cref="RandomStream.Seek"/>).</summary>
    public RandomStream Random { get; }

    /// <summary>The rows [First, End) this context writes; First is a multiple of <see cref="PulseTuning.RowGroup"/>.</summary>
    public int First, End;

    /// <summary>The row's pulse counts and Gaussians a device array's kernel consumes.</summary>
    public readonly PulseRowScratch Row = new();

    /// <summary>Slot-major row-mask draws of the row block.</summary>
    public uint[] Draws = [];

    /// <summary>The write being run (the write number of its keyed draws).</summary>
    public ulong Write;

    /// <summary>The row group whose keyed stream <see cref="Random"/> is at (-1: none yet in this write).</summary>
    public int Group = -1;

    /// <summary>Gaussians the last row group drew: the next group's first refill size (a hint; values do not depend on it).</summary>
    public int LastGroupGaussians = 64;

    /// <summary>Pulses and clipped pulses of this write so far.</summary>
    public long Pulses, Clipped;

    /// <summary>A unit cell's sums per device array it pulses (<see cref="CrossbarTile"/>'s cell arrays: a one-sided pair's
    /// g+ and g-, a transfer compound's fast array), added to each array's counters when the write ends.</summary>
    public readonly long[] CellPulses = new long[2], CellClipped = new long[2];

    public void Begin(int first, int end)
    {
        First = first; End = end; Group = -1;
        Pulses = Clipped = 0;
        Row.Placed = 0;
        Row.CountedColumns = 0;
        CellPulses.AsSpan().Clear(); CellClipped.AsSpan().Clear();
    }

    /// <summary>Moves on to the write numbered <paramref name="write"/> (its rows seek their own groups' streams); the
    /// group just left sizes the next first refill.</summary>
    public void StartWrite(ulong write)
    {
        if (Group >= 0) LastGroupGaussians = Random.GaussiansDrawn;
        Write = write;
        Group = -1;
    }

    /// <summary>Counts n pulses (clipped of them) on the cell's device array <paramref name="array"/>.</summary>
    public void AddCellPulses(int array, int n, long clipped)
    {
        CellPulses[array] += n;
        CellClipped[array] += clipped;
    }

    public void EnsureDraws(int words)
    {
        if (Draws.Length < words) Draws = new uint[words];
    }
}

/// <summary>The pulsed write's tuning: where work is split, and when a path or a thread pays off.</summary>
internal static class PulseTuning
{
    /// <summary>
    /// Rows per row group: the rows that share one keyed stream of Gaussians and uniforms, and the unit a write is
    /// split in (row blocks start at multiples of it; a multiple of the mask builder's 16-line padding, so a block's
    /// thresholds are a slice of the tile's). 64 rather than 16: a training write (a few pulses per firing row) seeds
    /// a group's generators once for 64 rows, which measured 1.49 -> 1.40 ms per batch of 100 100x785 writes on Zen 4.
    /// Not a machine constant in effect: changing it changes the draws.
    /// </summary>
    public const int RowGroup = 64;

    /// <summary>
    /// A write whose firing columns are at most one in this many takes the one-by-one ConstantStep path, which beats
    /// the 16-wide blocks when a block holds a single firing column. Measured on Zen 4 (100x785, MNIST-like x and d):
    /// the crossover is near one firing column in eight; other cores may put it elsewhere.
    /// </summary>
    public const int SparseColumnRatio = 8;

    /// <summary>
    /// Device visits (rows x firing columns) a thread must get before a write is split. Waking a worker and joining it
    /// cost about 8 us per write on the (loaded) 2-core Zen 4 this was tuned on: a 100 x 785 training write (about
    /// 15k visits, 13 us) forced onto 2 threads went from 1.28 to 2.13 ms per batch of 100. A visit costs about 1 ns,
    /// so 65536 visits (60-80 us) per thread keep that cost under about a tenth; a 512 x 512 dense write (262k visits,
    /// about 350 us) splits.
    /// </summary>
    public const int MinVisitsPerThread = 65536;

    /// <summary>
    /// Rows a thread runs every write of a pass on before moving to the next rows (a whole number of row groups). One
    /// group of a 512-column ConstantStep tile (weights, both step sizes, both bounds, the pulse counters) is 0.9 MB,
    /// about Zen 4's 1 MB L2, so its devices stay close while the pass's writes run over them.
    /// </summary>
    public const int BlockRows = RowGroup;

    /// <summary>
    /// Rank-1 writes prepared and run together in one pass over the rows: the writes' column masks and directions
    /// (about 12 bytes a column each) go through the cache with every block, so a pass stays well below the block's
    /// own footprint. Longer rank-k writes take several passes.
    /// </summary>
    public const int WritesPerPass = 32;
}
