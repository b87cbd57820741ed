namespace SbeCore.Devices.Arrays;

/// <summary>
/// One thread's scratch for a row of pulse counts: the signed counts per column (+n up, -n down, 0 none) that the
/// tile's coincidence loops fill and a device array's kernel consumes (and zeroes), the Gaussians' offsets and the
/// row's Gaussians. Grows to the widest row it has served; allocates nothing after that.
/// </summary>
internal sealed class PulseRowScratch
{
    /// <summary>Signed pulse counts of the row being written, one per column; all 0 between rows.</summary>
    public float[] Counts = [];

    /// <summary>Where column j's Gaussians start in <see cref="Gaussians"/>: valid where its count is not 0, elsewhere an
    /// earlier row's offset, still inside the buffer (it only grows), so a vector gather may read it and discard it.</summary>
    public int[] Offsets = [];

    /// <summary>Gaussians the counts of the row so far will take (the next device's offset).</summary>
    public int Placed;

    /// <summary>The columns counted in the row so far, in the order counted (ascending).</summary>
    public int[] Counted = [];

    /// <summary>How many of <see cref="Counted"/> are the row's.</summary>
    public int CountedColumns;

    /// <summary>The row's Gaussians, device by device: its pulses' in pulse order, then its write-noise draw.</summary>
    public float[] Gaussians = new float[64];

    public void EnsureColumns(int columns)
    {
        if (Counts.Length >= columns) return;
        Counts = new float[columns];
        Offsets = new int[columns];
        Counted = new int[columns];
    }

    public void EnsureGaussians(int count)
    {
        if (Gaussians.Length < count) Gaussians = new float[Math.Max(count, 2 * Gaussians.Length)];
    }
}
