using System.CommandLine;
using System.Globalization;
using SbeCore.Eigen;
using SbeCore.Experiments;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Cli;

/// <summary>
/// `sbe quality`: how close each low-rank rule's write comes to the batch-mean gradient on a real training stream
/// (<see cref="UpdateQuality"/>). A driving network trains with one method; every batch is also fed to shadow rules.
/// </summary>
internal static class QualityCommand
{
    public static Command Create()
    {
        var common = new CommonOptions(2, Path.Combine("results", "quality"), "Output folder for quality.csv");
        var driver = new Option<string>("--driver") { Description = $"Method that trains the network producing the stream: {MethodNames.Accepted}", DefaultValueFactory = _ => "minibatch" };
        var batch = new Option<int>("--batch", "-b") { Description = "Batch size", DefaultValueFactory = _ => 64 };
        var lr = new Option<float>("--lr") { Description = "Learning rate of the driver", DefaultValueFactory = _ => 0.2f };
        var candidates = new Option<string>("--candidates")
        {
            Description = "Rules to score, comma-separated: svd-k, sbe-k, sbe-k:rayleigh, sbe-k:start-rayleigh, sbe-k:right-norm, sbpca-k[:m], lrt-k",
            DefaultValueFactory = _ => "svd-1,sbe-1,sbe-1:rayleigh,sbe-1:start-rayleigh,sbpca-1:8,lrt-1",
        };
        CommonOptions.AtLeast(batch, 1);
        var command = new Command("quality", "Score low-rank rules against the exact batch gradient on a training stream (residual and magnitude error per batch)");
        common.AddTo(command);
        command.Options.Add(driver); command.Options.Add(batch); command.Options.Add(lr); command.Options.Add(candidates);
        command.SetAction(parse => Cli.Guard(() =>
        {
            if (!MethodNames.TryParse(parse.GetValue(driver)!, out var method)) return Cli.Fail($"unknown --driver; expected {MethodNames.Accepted}.");
            var labels = parse.GetValue(candidates)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var label in labels)
                if (!TryCreate(label, 4, 4, 1, out _, out string error)) return Cli.Fail(error);
            CommonOptions.TryParseHidden(parse.GetValue(common.Hidden)!, out int[] hidden, out _);
            string outDir = parse.GetValue(common.Out)!;
            OutputFolder.Prepare(outDir);
            var data = DataOption.Load(parse.GetValue(common.Data), parse.GetValue(common.Subset));
            ulong seed = parse.GetValue(common.Seed);
            var network = new Network(new NetworkOptions { LayerSizes = [data.Train.Features, .. hidden, data.Train.ClassCount], Method = method, Seed = seed });
            var quality = new UpdateQuality(network, labels, (label, layer, rows, cols) =>
            {
                TryCreate(label, rows, cols, Network.RuleSeed(seed, layer), out var rule, out _);
                return rule!;
            });
            network.BatchObserver = quality;
            int epochs = parse.GetValue(common.Epochs), b = parse.GetValue(batch);
            for (int e = 0; e < epochs; e++)
                network.TrainEpoch(data.Train.Images, data.Train.Labels, b, parse.GetValue(lr), seed + (ulong)e);
            Directory.CreateDirectory(outDir);
            Report(quality, labels, Path.Combine(outDir, "quality.csv"));
            return 0;
        }));
        return command;
    }

    // "sbe-2:rayleigh", "sbpca-1:8", "lrt-3", "svd-1".
    private static bool TryCreate(string label, int rows, int cols, ulong seed, out IUpdateRule? rule, out string error)
    {
        rule = null; error = $"unknown candidate '{label}'; expected svd-k, sbe-k[:rayleigh|:start-rayleigh|:right-norm], sbpca-k[:m] or lrt-k.";
        var parts = label.Split(':', 2);
        if (!UpdateRules.TryParseLabel(parts[0], out var method, out int labelRank) || !UpdateRules.Get(method).HasRank) return false;
        int k = Math.Min(labelRank, Math.Min(rows, cols));
        string option = parts.Length > 1 ? parts[1].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() : "";
        switch (method)
        {
            case UpdateMethod.Sbe:
                MagnitudeEstimate? magnitude = option switch
                {
                    "" => MagnitudeEstimate.RunningMean, "rayleigh" => MagnitudeEstimate.Rayleigh,
                    "startrayleigh" => MagnitudeEstimate.StartRayleigh, "rightnorm" => MagnitudeEstimate.RightNorm, _ => null,
                };
                if (magnitude is null) return false;
                rule = new SbeRule(rows, cols, new EstimatorOptions { Rank = k, Magnitude = magnitude.Value }, seed);
                return true;
            case UpdateMethod.Sbpca:
                int m = 1;
                if (option != "" && (!int.TryParse(option, NumberStyles.None, CultureInfo.InvariantCulture, out m) || m < 1)) return false;
                rule = new SbpcaRule(rows, cols, k, m, seed: seed);
                return true;
            default:
                if (option != "") return false;
                rule = UpdateRuleFactory.Create(method, rows, cols, k, seed: seed);
                return true;
        }
    }

    private static void Report(UpdateQuality quality, string[] labels, string csvPath)
    {
        using var csv = new StreamWriter(csvPath);
        csv.WriteLine("candidate,layer,batches,residual_median,residual_p90,worse_than_nothing,magnitude_error_median_abs");
        Console.WriteLine("| candidate | layer | batches | residual ||M - est|| / ||M||: median | p90 | writes worse than none | |magnitude error|: median |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var label in labels)
            foreach (var group in quality.Scores[label].GroupBy(s => s.Layer).OrderBy(g => g.Key))
            {
                var residual = group.Select(s => s.Residual).OrderBy(v => v).ToArray();
                var magnitude = group.Select(s => Math.Abs(s.MagnitudeError)).Where(double.IsFinite).OrderBy(v => v).ToArray();
                double worse = residual.Count(r => r > 1) / (double)residual.Length;
                string row = string.Create(CultureInfo.InvariantCulture,
                    $"{label},{group.Key},{residual.Length},{Quantile(residual, 0.5):F4},{Quantile(residual, 0.9):F4},{worse:F4},{Quantile(magnitude, 0.5):F4}");
                csv.WriteLine(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {group.Key} | {residual.Length} | {Quantile(residual, 0.5):F3} | {Quantile(residual, 0.9):F3} | {worse:P1} | {Quantile(magnitude, 0.5):P1} |"));
            }
    }

    private static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];
}
