using ScottPlot;

namespace SbeCore.Cli;

/// <summary>PNG plots with ScottPlot 5: training loss against epochs and against rank-1 writes (log axes), one line per run.</summary>
internal static class PlotWriter
{
    public static void LossVsEpoch(string path, IReadOnlyList<RunResult> results, string title)
        => Plot(path, results, title, "epoch", r => r.Epoch, logX: false);

    public static void LossVsWrites(string path, IReadOnlyList<RunResult> results, string title)
        => Plot(path, results, title, "rank-1 writes", r => r.RankOneWrites, logX: true);

    public static void TestAccuracyVsEpoch(string path, IReadOnlyList<RunResult> results, string title)
    {
        var plt = new Plot();
        foreach (var r in results)
        {
            var recs = r.History.Records.Where(h => h.Epoch > 0).ToArray();
            var line = plt.Add.Scatter(recs.Select(h => h.Epoch).ToArray(), recs.Select(h => 100 * h.TestAccuracy).ToArray());
            line.LegendText = r.Spec.Label;
            line.LineWidth = 2;
            line.MarkerSize = 4;
        }
        IntegerAxis(plt.Axes.Bottom);
        plt.Title(title);
        plt.XLabel("epoch");
        plt.YLabel("test accuracy (%)");
        plt.ShowLegend(Alignment.LowerRight);
        OutputFolder.SavePng(plt, path, 900, 560);
    }

    /// <summary>SBE diagnostics: 1 - |cos| of the applied right vector against the exact one, per batch and layer (log y).</summary>
    public static void Diagnostics(string path, IReadOnlyList<RunResult> results, string title)
    {
        var plt = new Plot();
        foreach (var r in results)
            foreach (var layer in r.History.Diagnostics.Select(d => d.Layer).Distinct())
            {
                var ds = r.History.Diagnostics.Where(d => d.Layer == layer && d.RightVectorError > 0).ToArray();
                if (ds.Length == 0) continue;
                var line = plt.Add.Scatter(ds.Select(d => (double)d.Update).ToArray(), ds.Select(d => Math.Log10(d.RightVectorError)).ToArray());
                line.LegendText = $"{r.Spec.Label} layer {layer}";
                line.LineWidth = 1;
                line.MarkerSize = 3;
            }
        LogAxis(plt.Axes.Left);
        plt.Title(title);
        plt.XLabel("batch (weight update)");
        plt.YLabel("1 - |cos(X_sbe, X_svd)|");
        plt.ShowLegend(Alignment.UpperRight);
        OutputFolder.SavePng(plt, path, 900, 560);
    }

    private static void Plot(string path, IReadOnlyList<RunResult> results, string title, string xLabel, Func<Training.TrainingRecord, double> x, bool logX)
    {
        var plt = new Plot();
        foreach (var r in results)
        {
            var recs = r.History.Records.Where(h => h.TrainLoss > 0 && (!logX || x(h) > 0)).ToArray();
            double[] xs = recs.Select(h => logX ? Math.Log10(x(h)) : x(h)).ToArray();
            double[] ys = recs.Select(h => Math.Log10(h.TrainLoss)).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.LegendText = r.Spec.Label;
            line.LineWidth = 2;
            line.MarkerSize = 4;
        }
        LogAxis(plt.Axes.Left);
        if (logX) LogAxis(plt.Axes.Bottom);
        else IntegerAxis(plt.Axes.Bottom);
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel("training loss (cross-entropy, whole training set)");
        plt.ShowLegend(Alignment.UpperRight);
        OutputFolder.SavePng(plt, path, 900, 560);
    }

    /// <summary>Data are log10 values: label ticks with the values, whatever the span (<see cref="LogTicks"/>).</summary>
    internal static void LogAxis(IAxis axis) => axis.TickGenerator = new LogTicks();

    /// <summary>Epochs are whole numbers: no 0.5-epoch ticks.</summary>
    internal static void IntegerAxis(IAxis axis) => axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
}
