using System.Globalization;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>
/// The Cartesian product methods x batch sizes x ranks x devices x seeds, in a fixed order (devices, seeds, methods,
/// ranks, batch sizes). Ranks apply to svd and sbe only; per-sample SGD exists at batch 1 only (SGD at batch n with
/// frozen weights is mini-batch descent issuing n writes), so duplicates never arise. Shard i of n is every n-th cell
/// from i: shards are disjoint, cover the grid, are balanced across cheap and expensive cells, and do not depend on
/// anything but the axes.
/// </summary>
public sealed class SweepGrid
{
    /// <summary>Builds the grid from method and rank axes (ranks apply to svd and sbe only).</summary>
    /// <exception cref="ArgumentException">An axis is empty, a batch size or rank is &lt; 1, or a device name is blank.</exception>
    public SweepGrid(IReadOnlyList<UpdateMethod> methods, IReadOnlyList<int> batchSizes, IReadOnlyList<int> ranks,
        IReadOnlyList<string> devices, IReadOnlyList<ulong> seeds)
        : this(Pairs(methods, ranks), batchSizes, devices, seeds) { }

    /// <summary>Builds the grid from explicit (method, rank) pairs, e.g. sgd, minibatch, svd-1, sbe-1, sbe-4.</summary>
    /// <exception cref="ArgumentException">An axis is empty, a batch size or rank is &lt; 1, or a device name is blank.</exception>
    public SweepGrid(IReadOnlyList<(UpdateMethod Method, int Rank)> methodRanks, IReadOnlyList<int> batchSizes,
        IReadOnlyList<string> devices, IReadOnlyList<ulong> seeds)
        : this(methodRanks, batchSizes, devices, seeds, null) { }

    /// <summary>Builds the grid from explicit (method, rank) pairs for the network <paramref name="architecture"/>
    /// (<see cref="SweepCell.Architecture"/>; null: the MLP).</summary>
    /// <exception cref="ArgumentException">An axis is empty, a batch size or rank is &lt; 1, or a device name is blank.</exception>
    public SweepGrid(IReadOnlyList<(UpdateMethod Method, int Rank)> methodRanks, IReadOnlyList<int> batchSizes,
        IReadOnlyList<string> devices, IReadOnlyList<ulong> seeds, string? architecture)
    {
        ArgumentNullException.ThrowIfNull(methodRanks);
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(seeds);
        if (methodRanks.Count == 0) throw new ArgumentException("methods is empty.", nameof(methodRanks));
        if (batchSizes.Count == 0) throw new ArgumentException("batchSizes is empty.", nameof(batchSizes));
        if (devices.Count == 0) throw new ArgumentException("devices is empty.", nameof(devices));
        if (seeds.Count == 0) throw new ArgumentException("seeds is empty.", nameof(seeds));
        foreach (int b in batchSizes) if (b < 1) throw new ArgumentException($"batch size {b} must be >= 1.", nameof(batchSizes));
        foreach (var (_, k) in methodRanks) if (k < 1) throw new ArgumentException($"rank {k} must be >= 1.", nameof(methodRanks));
        foreach (string d in devices) if (string.IsNullOrWhiteSpace(d)) throw new ArgumentException("a device name is blank.", nameof(devices));

        var cells = new List<SweepCell>();
        var seen = new HashSet<string>();
        foreach (string device in devices)
            foreach (ulong seed in seeds)
                foreach (var (method, rank) in methodRanks)
                    foreach (int batch in UpdateRules.Get(method).WritesPerSample ? [1] : batchSizes)
                    {
                        var cell = new SweepCell(method, HasRank(method) ? rank : 1, batch, device, seed, architecture);
                        if (seen.Add(cell.Key)) cells.Add(cell);
                    }
        Cells = cells;
    }

    private static List<(UpdateMethod, int)> Pairs(IReadOnlyList<UpdateMethod> methods, IReadOnlyList<int> ranks)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count == 0) throw new ArgumentException("ranks is empty.", nameof(ranks));
        var pairs = new List<(UpdateMethod, int)>();
        foreach (var m in methods)
            foreach (int k in HasRank(m) ? ranks : [1]) pairs.Add((m, k));
        return pairs;
    }

    /// <summary>Every cell in grid order.</summary>
    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>True for the methods whose rank is a parameter (svd-k, sbe-k, ...; <see cref="UpdateRuleInfo.HasRank"/>).</summary>
    public static bool HasRank(UpdateMethod method) => UpdateRules.Get(method).HasRank;

    /// <summary>Cells of shard <paramref name="index"/> of <paramref name="count"/> (0-based): cells whose grid position p has p mod count == index.</summary>
    /// <exception cref="ArgumentException">count &lt; 1 or index outside 0..count-1.</exception>
    public IReadOnlyList<SweepCell> Shard(int index, int count)
    {
        Check.AtLeast(count, 1);
        Check.Index(index, count);
        var slice = new List<SweepCell>();
        for (int p = index; p < Cells.Count; p += count) slice.Add(Cells[p]);
        return slice;
    }

    /// <summary>Parses "i/n" (0 &lt;= i &lt; n) as used by <c>--shard</c>.</summary>
    public static bool TryParseShard(string text, out int index, out int count)
    {
        index = 0; count = 1;
        var parts = (text ?? "").Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && count >= 1 && index < count;
    }

    /// <summary>Powers of two from <paramref name="min"/> to <paramref name="max"/> inclusive (both rounded to powers of two).</summary>
    public static int[] PowersOfTwo(int min, int max)
    {
        if (min < 1 || max < min) throw new ArgumentException($"need 1 <= min <= max, got {min}..{max}.", nameof(min));
        var list = new List<int>();
        for (long b = 1; b <= max; b *= 2) if (b >= min) list.Add((int)b);
        return [.. list];
    }
}
