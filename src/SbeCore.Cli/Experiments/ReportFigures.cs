using System.Globalization;
using ScottPlot;
using SbeCore.Experiments;

namespace SbeCore.Cli.Experiments;

/// <summary>The PNG figures of `sbe report` (ScottPlot 5). Log axes carry log10 data with power-of-ten labels.</summary>
internal static class ReportFigures
{
    private static readonly Color[] s_palette =
    [
        Colors.Black, Colors.DodgerBlue, Colors.OrangeRed, Colors.ForestGreen, Colors.Purple, Colors.DarkGoldenRod, Colors.Teal, Colors.Brown,
    ];

    /// <summary>One point of a Fig. 5 line: batch size and value; censored points are lower bounds.</summary>
    public readonly record struct BatchPoint(int Batch, double Value, bool Censored);

    /// <summary>Fig. 5 style: a value (epochs or writes to a loss) against batch size, log-log (or a linear y axis when
    /// <paramref name="logY"/> is false), one line per method; censored cells (threshold never reached) drawn as open
    /// markers at their lower bound.</summary>
    public static void VersusBatch(string path, string title, string yLabel, IReadOnlyList<(string Method, List<BatchPoint> Points)> lines, bool logY = true)
    {
        var plt = new Plot();
        double Y(double value) => logY ? Math.Log10(value) : value;
        for (int i = 0; i < lines.Count; i++)
        {
            var (method, points) = lines[i];
            var color = s_palette[i % s_palette.Length];
            var reached = points.Where(p => !p.Censored && p.Value > 0).ToArray();
            if (points.Count == 1 && reached.Length == 1)
            {
                // A method run at one batch size only (per-sample SGD): a dashed reference level across the axis, so
                // it is not hidden under the other methods' batch-1 points.
                var level = plt.Add.HorizontalLine(Y(reached[0].Value));
                level.LegendText = $"{method} (batch {reached[0].Batch})"; level.Color = color; level.LineWidth = 1.5f; level.LinePattern = LinePattern.Dashed;
                continue;
            }
            if (reached.Length > 0)
            {
                var line = plt.Add.Scatter(reached.Select(p => Math.Log2(p.Batch)).ToArray(), reached.Select(p => Y(p.Value)).ToArray());
                line.LegendText = method; line.Color = color; line.LineWidth = 2; line.MarkerSize = 7;
            }
            var censored = points.Where(p => p.Censored && p.Value > 0).ToArray();
            if (censored.Length > 0)
            {
                var open = plt.Add.Scatter(censored.Select(p => Math.Log2(p.Batch)).ToArray(), censored.Select(p => Y(p.Value)).ToArray());
                open.LegendText = reached.Length > 0 ? "" : method + " (not reached)";
                open.Color = color; open.LineWidth = 0; open.MarkerSize = 9; open.MarkerShape = MarkerShape.OpenTriangleUp;
            }
        }
        Log2Axis(plt.Axes.Bottom);
        if (logY) LogAxis(plt.Axes.Left);
        plt.Title(title);
        plt.XLabel("batch size");
        plt.YLabel(lines.Any(l => l.Points.Any(p => p.Censored)) ? yLabel + "   (open triangles: not reached, lower bound)" : yLabel);
        plt.ShowLegend(Edge.Right); // outside the data area: no point hidden behind it
        OutputFolder.SavePng(plt, path, 1000, 600);
    }

    /// <summary>Fig. 3 style: within-batch errors against the sample index, log y, batch boundaries marked.</summary>
    public static void Trace(string path, string title, IReadOnlyList<TracePoint> points, int batchSize)
    {
        var plt = new Plot();
        double[] xs = Enumerable.Range(1, points.Count).Select(i => (double)i).ToArray();
        void Add(string label, Func<TracePoint, double> f, Color color)
        {
            var ys = points.Select(p => Math.Log10(Math.Max(Math.Abs(f(p)), 1e-7))).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.LegendText = label; line.Color = color; line.LineWidth = 1.5f; line.MarkerSize = 0;
        }
        Add("right vector 1-|cos(X, X_svd)|", p => p.RightVectorError, Colors.DodgerBlue);
        Add("left vector 1-|cos(D, D_svd)|", p => p.LeftVectorError, Colors.ForestGreen);
        Add("|value error| |1 - s/s_svd|", p => p.ValueError, Colors.OrangeRed);
        for (int b = 1; b < points.Count / batchSize; b++)
        {
            var v = plt.Add.VerticalLine(b * batchSize + 0.5);
            v.Color = Colors.Gray; v.LinePattern = LinePattern.Dashed; v.LineWidth = 1;
        }
        LogAxis(plt.Axes.Left);
        plt.Title(title);
        plt.XLabel("sample (dashed: weight update = new batch)");
        plt.YLabel("error against the exact SVD of the batch");
        plt.ShowLegend(Alignment.LowerLeft);
        OutputFolder.SavePng(plt, path, 900, 560);
    }

    /// <summary>Fig. 1 style: cumulative share of the batch gradient (|M|_F^2) in the top k singular pairs, median and max over batches.</summary>
    public static void EnergyShare(string path, string title, IReadOnlyList<(string Label, List<SpectrumRecord> Records)> series, int maxK)
    {
        var plt = new Plot();
        for (int i = 0; i < series.Count; i++)
        {
            var (label, records) = series[i];
            if (records.Count == 0) continue;
            var ks = Enumerable.Range(1, maxK).ToArray();
            double[] median = ks.Select(k => Median(records.Select(r => r.EnergyShare(k)))).ToArray();
            double[] max = ks.Select(k => records.Max(r => r.EnergyShare(k))).ToArray();
            var color = s_palette[(i + 1) % s_palette.Length];
            var m = plt.Add.Scatter(ks.Select(k => (double)k).ToArray(), median.Select(v => 100 * v).ToArray());
            m.LegendText = label + " median"; m.Color = color; m.LineWidth = 2; m.MarkerSize = 5;
            var x = plt.Add.Scatter(ks.Select(k => (double)k).ToArray(), max.Select(v => 100 * v).ToArray());
            x.LegendText = label + " max"; x.Color = color; x.LineWidth = 1; x.MarkerSize = 3; x.LinePattern = LinePattern.Dashed;
        }
        plt.Title(title);
        plt.XLabel("top k singular pairs");
        plt.YLabel("share of |batch gradient|_F^2 (%)");
        plt.Axes.SetLimitsY(0, 100);
        plt.ShowLegend(Alignment.LowerRight);
        OutputFolder.SavePng(plt, path, 900, 560);
    }

    /// <summary>Device comparison: a bar chart of one figure per (method, device).</summary>
    public static void DeviceBars(string path, string title, string yLabel, IReadOnlyList<string> devices, IReadOnlyList<string> methods, Func<string, string, double?> value, bool log)
    {
        var plt = new Plot();
        int groups = devices.Count, per = methods.Count;
        var bars = new List<Bar>();
        // Linear axes start a little below the smallest bar so differences of a few percent stay visible.
        var finite = devices.SelectMany(d => methods.Select(m => value(d, m))).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        double floor = finite.Count == 0 ? 0
            : log ? Math.Floor(finite.Min(v => Math.Log10(Math.Max(v, 1e-12))))
            : Math.Max(0, Math.Floor((finite.Min() - 5) / 5) * 5);
        for (int g = 0; g < groups; g++)
            for (int m = 0; m < per; m++)
            {
                if (value(devices[g], methods[m]) is not { } v || !double.IsFinite(v)) continue;
                double y = log ? Math.Log10(Math.Max(v, 1e-12)) : v;
                bars.Add(new Bar { Position = g * (per + 1) + m, Value = y, FillColor = s_palette[(m + 1) % s_palette.Length], ValueBase = floor });
            }
        plt.Add.Bars(bars);
        for (int m = 0; m < per; m++)
        {
            var legendItem = new LegendItem { LabelText = methods[m], FillColor = s_palette[(m + 1) % s_palette.Length] };
            plt.Legend.ManualItems.Add(legendItem);
        }
        var ticks = devices.Select((d, g) => new Tick(g * (per + 1) + (per - 1) / 2.0, d)).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        if (log) LogAxis(plt.Axes.Left);
        else if (finite.Count > 0) plt.Axes.SetLimitsY(floor, finite.Max() + (finite.Max() - floor) * 0.35);
        plt.Title(title);
        plt.YLabel(yLabel);
        plt.ShowLegend(Alignment.UpperRight, Orientation.Horizontal);
        OutputFolder.SavePng(plt, path, 900, 560);
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    private static void LogAxis(IAxis axis) => PlotWriter.LogAxis(axis);

    private static void Log2Axis(IAxis axis)
        => axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(2, v).ToString("0", CultureInfo.InvariantCulture),
        };

}
