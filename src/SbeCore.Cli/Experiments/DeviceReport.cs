using System.Globalization;
using System.Text;
using SbeCore.Experiments;
using static SbeCore.Cli.Experiments.ReportFigures;

namespace SbeCore.Cli.Experiments;

/// <summary>
/// The device section of `sbe report`: one row per (device, method, batch size) with medians over the seeds (test
/// accuracy with its range), bar charts by device at one batch size, and, when the sweep has several batch sizes,
/// test accuracy and pulses per device against batch size for each device.
/// </summary>
internal static class DeviceReport
{
    private static readonly List<string> s_deviceOrder = [.. DeviceCatalog.Names];

    private sealed record Group(string Device, string Method, int Batch, List<CellResult> Cells)
    {
        public double Median(Func<CellResult, double> f) => ReportFigures.Median(Cells.Select(f));
    }

    public static void Write(List<CellResult> cells, string output, StringBuilder md, Func<IEnumerable<string>, IEnumerable<string>> orderMethods)
    {
        md.Append("## Past the paper: the same methods through device models\n\n");
        if (cells.Count == 0) { md.Append("No finished cells.\n\n"); return; }
        var devices = cells.Select(c => c.Device).Distinct()
            .OrderBy(d => s_deviceOrder.IndexOf(d.Split(':')[0]) is int i && i >= 0 ? i : 99).ThenBy(d => d, StringComparer.Ordinal).ToList();
        var methods = orderMethods(cells.Select(c => c.Method)).ToList();
        var groups = cells.GroupBy(c => (c.Device, c.Method, c.BatchSize))
            .Select(g => new Group(g.Key.Device, g.Key.Method, g.Key.BatchSize, g.OrderBy(c => c.Seed).ToList()))
            .OrderBy(g => devices.IndexOf(g.Device)).ThenBy(g => methods.IndexOf(g.Method)).ThenBy(g => g.Batch).ToList();
        var batches = cells.Where(c => c.Method != "sgd").Select(c => c.BatchSize).Distinct().Order().ToList();
        // The bars compare methods at one batch size: the one most (device, method) pairs were run at.
        int barBatch = batches.Count == 0 ? 1 : batches.OrderByDescending(b => groups.Count(g => g.Batch == b)).ThenBy(b => b).First();

        md.Append(CultureInfo.InvariantCulture, $"Run: {cells[0].Data}, {string.Join('-', cells[0].Layers)}, epoch budget {string.Join(",", cells.Select(c => c.EpochBudget).Distinct())} (no early stop: {cells.All(c => c.StopAtLoss == 0)}), seeds {string.Join(",", cells.Select(c => c.Seed).Distinct().Order())}. Per-sample SGD runs at batch 1, the others at batch {string.Join(", ", batches)}. Learning rates: {string.Join(", ", cells.GroupBy(c => c.LearningRateSource).Select(g => $"{g.Count()} {g.Key}"))}. Each row gives the median over its seeds (test accuracy: median and range).\n\n");

        double? AtBarBatch(string d, string m, Func<CellResult, double> f)
            => groups.FirstOrDefault(g => g.Device == d && g.Method == m && (g.Batch == barBatch || m == "sgd")) is { } g ? g.Median(f) : null;
        DeviceBars(Path.Combine(output, "devices-test-accuracy.png"), $"final test accuracy by device (batch {barBatch}; sgd batch 1)", "test accuracy (%)", devices, methods, (d, m) => AtBarBatch(d, m, c => 100 * c.TestAccuracy), log: false);
        DeviceBars(Path.Combine(output, "devices-train-loss.png"), $"final training loss by device (batch {barBatch}; sgd batch 1)", "training loss", devices, methods, (d, m) => AtBarBatch(d, m, c => c.TrainLoss), log: true);
        var pulsed = devices.Where(d => d != "ideal").ToList();
        DeviceBars(Path.Combine(output, "devices-pulses-per-device.png"), $"mean pulses per device (batch {barBatch}; sgd batch 1)", "pulses per device", pulsed, methods, (d, m) => AtBarBatch(d, m, c => c.MeanPulsesPerDevice), log: true);
        md.Append(CultureInfo.InvariantCulture, $"The bar charts compare the methods at batch {barBatch} (sgd at batch 1).\n\n");
        md.Append("![test accuracy](devices-test-accuracy.png)\n![training loss](devices-train-loss.png)\n![pulses per device](devices-pulses-per-device.png)\n\n");

        if (batches.Count > 1)
        {
            foreach (string d in devices)
            {
                string file = $"devices-{FileName(d)}-test-accuracy-vs-batch.png";
                VersusBatch(Path.Combine(output, file), $"{d}: final test accuracy against batch size (median over seeds)", "test accuracy (%)",
                    Lines(groups, d, methods, c => 100 * c.TestAccuracy), logY: false);
                md.Append(CultureInfo.InvariantCulture, $"![{d} test accuracy against batch size]({file})\n");
                if (d == "ideal") continue;
                file = $"devices-{FileName(d)}-pulses-vs-batch.png";
                VersusBatch(Path.Combine(output, file), $"{d}: mean pulses per device against batch size (median over seeds)", "pulses per device",
                    Lines(groups, d, methods, c => c.MeanPulsesPerDevice), logY: true);
                md.Append(CultureInfo.InvariantCulture, $"![{d} pulses per device against batch size]({file})\n");
            }
            md.Append('\n');
        }

        md.Append("| device | method | batch | lr | seeds | train loss | test acc: median (min-max) | rank-1 writes | matrix updates | mean pulses/device | max pulses/device | peripheral memory |\n|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        foreach (var g in groups)
        {
            int diverged = g.Cells.Count(c => c.Diverged);
            string loss = diverged == g.Cells.Count ? "diverged"
                : g.Median(c => c.Diverged ? double.NaN : c.TrainLoss).ToString("0.0000", CultureInfo.InvariantCulture) + (diverged > 0 ? $" ({diverged} diverged)" : "");
            string lr = string.Join(", ", g.Cells.Select(c => c.LearningRate.ToString("0.####", CultureInfo.InvariantCulture)).Distinct());
            string acc = $"{SweepTable.Percent(g.Median(c => c.TestAccuracy))} ({SweepTable.Percent(g.Cells.Min(c => c.TestAccuracy))}-{SweepTable.Percent(g.Cells.Max(c => c.TestAccuracy))})";
            string updates = g.Cells.All(c => c.MatrixUpdates is not null) ? SweepTable.Count((long)g.Median(c => c.MatrixUpdates!.Value)) : "-";
            md.Append(CultureInfo.InvariantCulture, $"| {g.Device} | {g.Method} | {g.Batch} | {lr} | {g.Cells.Count} | {loss} | {acc} | {g.Median(c => c.RankOneWrites):N0} | {updates} | {g.Median(c => c.MeanPulsesPerDevice):0.#} | {g.Median(c => c.MaxPulsesPerDevice):N0} | {SweepTable.Bytes(g.Cells[0].PeripheralMemoryBytes)} |\n");
        }
        md.Append('\n');
    }

    private static List<(string Method, List<BatchPoint> Points)> Lines(List<Group> groups, string device, List<string> methods, Func<CellResult, double> f)
        => methods.Select(m => (m, groups.Where(g => g.Device == device && g.Method == m).Select(g => new BatchPoint(g.Batch, g.Median(f), false)).ToList()))
            .Where(l => l.Item2.Count > 0).ToList();

    private static string FileName(string device) => device.Replace(':', '-');
}
