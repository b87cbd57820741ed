using System.Globalization;
using SbeCore.Data;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>Prints the side-by-side table and writes the output folder (results.json, history.csv, PNG plots).</summary>
internal static class Reporting
{
    public static void PrintTable(IReadOnlyList<RunResult> results)
    {
        // Full table on wide consoles; on narrow ones (80 columns) the columns the comparison needs most.
        bool wide = AnsiConsole.Profile.Width >= 140;
        bool pulses = results.Any(r => r.History.Final.Pulses > 0);
        var columns = new List<(string Header, Func<RunResult, string> Cell)>
        {
            ("batch", r => r.Spec.Schedule.BatchSize.ToString(CultureInfo.InvariantCulture)),
            ("lr", r => r.Spec.Schedule.LearningRate.ToString("0.####", CultureInfo.InvariantCulture)),
        };
        if (wide) columns.Add(("epochs", r => r.History.Final.Epoch.ToString("0.##", CultureInfo.InvariantCulture)));
        columns.Add((wide ? "test acc" : "test\nacc", r => Percent(r.History.Final.TestAccuracy)));
        if (wide) columns.Add(("train acc", r => Percent(r.History.Final.TrainAccuracy)));
        columns.Add((wide ? "train loss" : "train\nloss", r => r.History.Final.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture)));
        columns.Add((wide ? "rank-1 writes" : "rank-1\nwrites", r => r.History.Final.RankOneWrites.ToString("N0", CultureInfo.InvariantCulture)));
        if (wide || pulses) columns.Add(("pulses", r => r.History.Final.Pulses == 0 ? "-" : r.History.Final.Pulses.ToString("N0", CultureInfo.InvariantCulture)));
        columns.Add((wide ? "periph. mem" : "periph.\nmem", r => Bytes(r.History.PeripheralMemoryBytes)));
        if (wide)
            columns.Add(("loss<=0.1 at", r =>
            {
                var c = r.History.Crossing(0.1);
                return c.Reached ? $"ep {c.Epoch:0.##}, {c.RankOneWrites:N0} wr" : "censored";
            }));
        columns.Add(("time", r => $"{r.History.Final.TrainSeconds:0.0} s"));

        var table = new Table().Border(wide ? TableBorder.Rounded : TableBorder.Simple);
        table.AddColumn(new TableColumn("method").NoWrap());
        foreach (var (header, _) in columns) table.AddColumn(new TableColumn(header).RightAligned().NoWrap());
        foreach (var r in results)
            table.AddRow([r.Spec.Label, .. columns.Select(c => c.Cell(r))]);
        AnsiConsole.Write(table);
        if (!wide) AnsiConsole.WriteLine("(time = training time without evaluation; first crossings of loss 0.1 and 0.01 are in results.json)");
    }

    public static void WriteOutputs(string outDir, string command, DataSplit data, IReadOnlyList<RunResult> results, string title)
    {
        Directory.CreateDirectory(outDir);
        ResultWriter.WriteJson(Path.Combine(outDir, "results.json"), command, data, results);
        ResultWriter.WriteCsv(Path.Combine(outDir, "history.csv"), results);
        if (results.Any(r => r.History.Diagnostics.Count > 0))
        {
            ResultWriter.WriteDiagnosticsCsv(Path.Combine(outDir, "diagnostics.csv"), results);
            PlotWriter.Diagnostics(Path.Combine(outDir, "diagnostics.png"), results, title + ": SBE vs exact SVD");
        }
        PlotWriter.LossVsEpoch(Path.Combine(outDir, "loss-vs-epoch.png"), results, title);
        PlotWriter.LossVsWrites(Path.Combine(outDir, "loss-vs-writes.png"), results, title);
        PlotWriter.TestAccuracyVsEpoch(Path.Combine(outDir, "test-accuracy-vs-epoch.png"), results, title);
        string extra = results.Any(r => r.History.Diagnostics.Count > 0) ? ", diagnostics.csv, diagnostics.png" : "";
        AnsiConsole.MarkupLineInterpolated($"Wrote results.json, history.csv, loss-vs-epoch.png, loss-vs-writes.png, test-accuracy-vs-epoch.png{extra} to [bold]{Path.GetFullPath(outDir)}[/]");
    }

    public static string Percent(double v) => double.IsNaN(v) ? "-" : (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static string Bytes(long b) => b switch
    {
        0 => "0 B",
        < 1024 => $"{b} B",
        < 100 * 1024 => (b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024 * 1024 => (b / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KiB",
        _ => (b / (1024.0 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB",
    };
}
