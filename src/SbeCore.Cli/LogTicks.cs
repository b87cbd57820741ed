using System.Globalization;
using ScottPlot;

namespace SbeCore.Cli;

/// <summary>
/// Ticks for an axis whose data are log10 values: labels are the values themselves (1, 0.01, 2e6). Spans of a decade
/// or more get a major tick per power of ten with the 2..9 multiples as minor ticks; a shorter span gets its majors at
/// the 1-2-5, 1..9 or 1.0-9.9 multiples inside it (the coarsest giving 3 labels, at most about 8), so every plot shows
/// labels whatever its range.
/// </summary>
internal sealed class LogTicks : ITickGenerator
{
    public Tick[] Ticks { get; set; } = [];
    public int MaxTickCount { get; set; } = 1000;

    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        double lo = Math.Min(range.Min, range.Max), hi = Math.Max(range.Min, range.Max);
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi - lo > 300) { Ticks = []; return; }
        var ticks = new List<Tick>();
        // Mantissas (times a power of ten) that get a labelled major tick: the coarsest set that gives 3 labels.
        double[] majors = s_sets.FirstOrDefault(set => Count(set, lo, hi) >= 3) ?? s_sets[^1];
        double[] minors = majors.Length <= 9 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : majors;
        for (int decade = (int)Math.Floor(lo); decade <= (int)Math.Ceiling(hi) && ticks.Count < MaxTickCount; decade++)
            foreach (double m in minors.Union(majors).Order())
            {
                double position = decade + Math.Log10(m);
                if (position < lo || position > hi) continue;
                bool major = majors.Contains(m);
                ticks.Add(new Tick(position, major ? Format(m * Math.Pow(10, decade)) : "", major));
            }
        // A very short span can still hold too many 0.1 steps: keep every k-th major label.
        var labelled = ticks.Where(t => t.IsMajor).ToList();
        int keep = Math.Max(1, (int)Math.Ceiling(labelled.Count / 8.0));
        for (int i = 0; i < labelled.Count; i++)
            if (i % keep != 0) ticks[ticks.IndexOf(labelled[i])] = new Tick(labelled[i].Position, "", false);
        Ticks = [.. ticks];
    }

    private static readonly double[][] s_sets =
    [
        [1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9], [.. Enumerable.Range(10, 90).Select(i => i / 10.0)],
    ];

    private static int Count(double[] mantissas, double lo, double hi)
    {
        int n = 0;
        for (int decade = (int)Math.Floor(lo); decade <= (int)Math.Ceiling(hi); decade++)
            foreach (double m in mantissas) if (decade + Math.Log10(m) is double p && p >= lo && p <= hi) n++;
        return n;
    }

    public static string Format(double v) => v switch
    {
        >= 1e6 or < 1e-3 => v.ToString("0.#e0", CultureInfo.InvariantCulture),
        >= 1 => v.ToString("#,0.##", CultureInfo.InvariantCulture),
        _ => v.ToString("0.####", CultureInfo.InvariantCulture),
    };
}
