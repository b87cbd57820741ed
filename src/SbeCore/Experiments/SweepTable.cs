using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SbeCore.Experiments;

/// <summary>
/// Gathers finished cells into one table: CSV (one row per cell), JSON (the full results) and markdown. Two costs side
/// by side: rank-1 writes (the crossbar's count) and matrix updates (the paper's, see <see cref="MatrixUpdateCount"/>).
/// </summary>
public static class SweepTable
{
    private static readonly string[] s_columns =
    [
        "key", "method", "rank", "batch", "device", "seed", "lr", "lr_source", "data", "epoch_budget", "epochs", "diverged",
        "train_loss", "train_acc", "test_acc", "best_test_acc", "rank1_writes", "pulses", "mean_pulses_per_device",
        "max_pulses_per_device", "peripheral_bytes", "loss0.1_reached", "loss0.1_epoch", "loss0.1_writes",
        "loss0.01_reached", "loss0.01_epoch", "loss0.01_writes", "train_seconds", "wall_seconds", "software",
        // Added after the columns above (which keep their positions); empty if a cell cannot say.
        "matrix_updates", "loss0.1_matrix_updates", "loss0.01_matrix_updates",
    ];

    /// <summary>One CSV row per result, header first (invariant culture, round-trip numbers).</summary>
    public static string ToCsv(IEnumerable<CellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        results = results.Select(r => r.WithMatrixUpdates());
        var sb = new StringBuilder(string.Join(',', s_columns)).Append('\n');
        foreach (var r in results)
        {
            object?[] v =
            [
                r.Key, r.Method, r.Rank, r.BatchSize, r.Device, r.Seed, r.LearningRate, r.LearningRateSource, r.Data, r.EpochBudget, r.Epochs, r.Diverged,
                r.TrainLoss, r.TrainAccuracy, r.TestAccuracy, r.BestTestAccuracy, r.RankOneWrites, r.TotalPulses, r.MeanPulsesPerDevice,
                r.MaxPulsesPerDevice, r.PeripheralMemoryBytes, r.LossBelow0_1.Reached, r.LossBelow0_1.Epoch, r.LossBelow0_1.RankOneWrites,
                r.LossBelow0_01.Reached, r.LossBelow0_01.Epoch, r.LossBelow0_01.RankOneWrites, r.TrainSeconds, r.WallSeconds, r.Software,
                r.MatrixUpdates, r.LossBelow0_1.MatrixUpdates, r.LossBelow0_01.MatrixUpdates,
            ];
            sb.AppendJoin(',', v.Select(Format)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The results as a JSON array.</summary>
    public static string ToJson(IEnumerable<CellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return JsonSerializer.Serialize(results.Select(r => r.WithMatrixUpdates()).ToList(), ExperimentsJson.Default.ListCellResult);
    }

    /// <summary>A markdown table of the headline figures; censored crossings are shown as "&gt; x" (lower bounds).</summary>
    public static string ToMarkdown(IEnumerable<CellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder();
        sb.Append("Writes: rank-1 writes, the crossbar's cost (mini-batch's dense update counts min(n, a, b) per layer). Updates: matrix updates, the paper's count (one per layer per sample for sgd, per batch for the others).\n\n");
        sb.Append("| method | batch | device | seed | lr | epochs run | train loss | test acc | rank-1 writes | matrix updates | mean pulses/device | peripheral memory | epochs to 0.1 | writes to 0.1 | updates to 0.1 | epochs to 0.01 | writes to 0.01 | updates to 0.01 |\n");
        sb.Append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in results.Select(r => r.WithMatrixUpdates()))
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.BatchSize} | {r.Device} | {r.Seed} | {r.LearningRate:0.####}{(r.LearningRateSource == "tuned" ? "" : " (" + r.LearningRateSource + ")")} | {r.Epochs:0.##} | {(r.Diverged ? "diverged" : r.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture))} | {Percent(r.TestAccuracy)} | {r.RankOneWrites:N0} | {Count(r.MatrixUpdates)} | {r.MeanPulsesPerDevice:0.#} | {Bytes(r.PeripheralMemoryBytes)} | {EpochText(r.LossBelow0_1)} | {WritesText(r.LossBelow0_1)} | {UpdatesText(r.LossBelow0_1)} | {EpochText(r.LossBelow0_01)} | {WritesText(r.LossBelow0_01)} | {UpdatesText(r.LossBelow0_01)} |\n");
        }
        return sb.ToString();
    }

    /// <summary>"97.12%" or "-".</summary>
    public static string Percent(double v) => double.IsNaN(v) ? "-" : (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>Human-readable bytes.</summary>
    public static string Bytes(long b) => b switch
    {
        0 => "0 B",
        < 1024 => b.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (b / (1024.0 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB",
    };

    private static string EpochText(CrossingResult c) => (c.Reached ? "" : "> ") + c.Epoch.ToString("0.##", CultureInfo.InvariantCulture);
    private static string WritesText(CrossingResult c) => (c.Reached ? "" : "> ") + c.RankOneWrites.ToString("N0", CultureInfo.InvariantCulture);
    private static string UpdatesText(CrossingResult c) => c.MatrixUpdates is null ? "-" : (c.Reached ? "" : "> ") + Count(c.MatrixUpdates);

    /// <summary>"1,234", or "-" for a count a cell cannot say.</summary>
    public static string Count(long? n) => n is long v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string Format(object? v) => v switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s.Contains(',') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s,
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
