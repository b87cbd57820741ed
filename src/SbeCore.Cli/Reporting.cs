using System.Globalization;
using SbeCore.Data;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>Prints the side-by-side table and writes the output folder (results.json, history.csv, PNG plots).</summary>
internal static class Reporting
{
    public static void PrintTable(IReadOnlyList<RunResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("method");
        foreach (var h in new[] { "batch", "lr", "epochs", "test acc", "train acc", "train loss", "rank-1 writes", "pulses", "periph. mem", "loss<=0.1 at", "time" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in results)
        {
            var f = r.History.Final;
            var c = r.History.Crossing(0.1);
            table.AddRow(
                r.Spec.Label,
                r.Spec.Schedule.BatchSize.ToString(CultureInfo.InvariantCulture),
                r.Spec.Schedule.LearningRate.ToString("0.####", CultureInfo.InvariantCulture),
                f.Epoch.ToString("0.##", CultureInfo.InvariantCulture),
                Percent(f.TestAccuracy), Percent(f.TrainAccuracy),
                f.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                f.RankOneWrites.ToString("N0", CultureInfo.InvariantCulture),
                f.Pulses == 0 ? "-" : f.Pulses.ToString("N0", CultureInfo.InvariantCulture),
                Bytes(r.History.PeripheralMemoryBytes),
                c.Reached ? $"ep {c.Epoch:0.##}, {c.RankOneWrites:N0} wr" : "censored",
                $"{f.TrainSeconds:0.0} s");
        }
        AnsiConsole.Write(table);
    }

    public static void WriteOutputs(string outDir, string command, DataSplit data, IReadOnlyList<RunResult> results, string title)
    {
        Directory.CreateDirectory(outDir);
        ResultWriter.WriteJson(Path.Combine(outDir, "results.json"), command, data, results);
        ResultWriter.WriteCsv(Path.Combine(outDir, "history.csv"), results);
        if (results.Any(r => r.History.Diagnostics.Count > 0)) ResultWriter.WriteDiagnosticsCsv(Path.Combine(outDir, "diagnostics.csv"), results);
        PlotWriter.LossVsEpoch(Path.Combine(outDir, "loss-vs-epoch.png"), results, title);
        PlotWriter.LossVsWrites(Path.Combine(outDir, "loss-vs-writes.png"), results, title);
        PlotWriter.TestAccuracyVsEpoch(Path.Combine(outDir, "test-accuracy-vs-epoch.png"), results, title);
        AnsiConsole.MarkupLineInterpolated($"Wrote results.json, history.csv, loss-vs-epoch.png, loss-vs-writes.png, test-accuracy-vs-epoch.png to [bold]{Path.GetFullPath(outDir)}[/]");
    }

    public static string Percent(double v) => double.IsNaN(v) ? "-" : (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static string Bytes(long b) => b switch
    {
        0 => "0 B",
        < 1024 => $"{b} B",
        < 1024 * 1024 => (b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (b / (1024.0 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB",
    };
}
