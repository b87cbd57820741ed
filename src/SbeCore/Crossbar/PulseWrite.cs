namespace SbeCore.Crossbar;

/// <summary>How a prepared write turns into pulse counts.</summary>
internal enum PulsedStep { Stochastic, Deterministic, Rounded, Dense }

/// <summary>
/// One pulsed write's quantities that do not depend on the weights: its write number (the key of its draws), pulse
/// train, per-line probabilities, thresholds and signs, and for a stochastic write the column masks and firing
/// columns. They are prepared on the caller before any row runs, so the row blocks can run several prepared writes in
/// order while their devices stay in cache (<see cref="CrossbarTile"/>'s blocked rank-k write).
/// </summary>
internal sealed class PulseWrite
{
    public PulseWrite(int rows, int cols, bool constantStep)
    {
        RowProbability = new float[rows];
        RowThreshold = new uint[PulseMasks.PaddedLines(rows)];
        RowDirection = new sbyte[rows];
        ColProbability = new float[cols];
        ColSign = new sbyte[cols];
        FiringCols = new int[cols];
        if (constantStep)
        {
            ColDirection = new float[cols];
            ActiveBlocks = new int[(cols + Block - 1) / Block];
            BlockUnion = new ulong[ActiveBlocks.Length];
        }
    }

    /// <summary>Columns per block of the fused ConstantStep step.</summary>
    public const int Block = 16;

    /// <summary>The write number every keyed draw of this write carries.</summary>
    public ulong Number;

    public PulsedStep Step;

    /// <summary>Pulse-train length (0: the write gives no pulses) and words per line mask.</summary>
    public int Bl, Words;

    /// <summary>A sparse stochastic write: its few devices take their pulses at once rather than through the row's
    /// counts, and a ConstantStep tile visits the firing columns one by one.</summary>
    public bool Sparse;

    public readonly float[] RowProbability, ColProbability;
    public readonly uint[] RowThreshold; // padded to whole 16-line vectors, padding 0
    public readonly sbyte[] RowDirection; // -sign(lr) sign(d_i)
    public readonly sbyte[] ColSign;

    /// <summary>Column j's mask at ColMasks[j * Words ..] (stochastic writes).</summary>
    public ulong[] ColMasks = [];

    /// <summary>Columns whose pulse train is not empty, ascending (the others cannot get pulses), and how many.</summary>
    public readonly int[] FiringCols;
    public int Firing;

    /// <summary>ConstantStep's fused blocks: each column's sign as a float (every stochastic write), and (single-word,
    /// not sparse) the blocks with a firing column and their masks' union.</summary>
    public readonly float[] ColDirection = [];
    public readonly int[] ActiveBlocks = [];
    public readonly ulong[] BlockUnion = [];
    public int Active;

    public bool HasPulses => Bl > 0 || Step == PulsedStep.Dense;

    public void EnsureColumnMasks(int cols, int words)
    {
        if (ColMasks.Length < cols * words) ColMasks = new ulong[cols * words];
    }

    /// <summary>Lists the firing columns from the column masks.</summary>
    public void FindFiringColumns(int cols)
    {
        int words = Words;
        if (words == 1)
        {
            Firing = PulseLines.NonZero(ColMasks.AsSpan(0, cols), FiringCols);
            return;
        }
        int firing = 0;
        for (int j = 0; j < cols; j++)
            if (ColMasks.AsSpan(j * words, words).ContainsAnyExcept(0UL)) FiringCols[firing++] = j;
        Firing = firing;
    }

    /// <summary>Blocks whose columns never fire cannot get pulses: lists the others (ascending, from the firing
    /// columns) with their masks' union, so sparse inputs (x with many zeros) cost little (skipping a block takes no
    /// Gaussians). Single-word masks.</summary>
    public void ListActiveBlocks()
    {
        int active = 0, last = -1;
        for (int f = 0; f < Firing; f++)
        {
            int j = FiringCols[f], block = j / Block;
            if (block != last) { ActiveBlocks[active] = block; BlockUnion[active] = 0; active++; last = block; }
            BlockUnion[active - 1] |= ColMasks[j];
        }
        Active = active;
    }
}
