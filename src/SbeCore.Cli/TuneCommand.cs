using System.CommandLine;
using System.Globalization;
using System.Text;
using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>
/// `sbe tune`: the paper's learning-rate tuning. A log-spaced grid of learning rates, each trained for a few epochs
/// from the same start and data order, scored by the whole-training-set loss at the end (diverged = worst); then a finer
/// log grid around the best. Writes tune.csv and prints the ranking.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var common = new CommonOptions(5, Path.Combine("results", "tune"));
        var method = new Option<string>("--method", "-m") { Description = $"Update rule: {MethodNames.Accepted}", DefaultValueFactory = _ => "sbe" };
        method.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string>(r, out var v) && !MethodNames.TryParse(v ?? "", out _)) r.AddError($"unknown method '{v}'; expected one of: {MethodNames.Accepted}.");
        });
        var rank = new Option<int>("--rank", "-k") { Description = "k of svd-k and sbe-k", DefaultValueFactory = _ => 1 };
        var subBatch = new Option<int>("--sub-batch") { Description = "m, samples per bi-iteration step of rank-k SBE", DefaultValueFactory = _ => 1 };
        var batch = new Option<int?>("--batch", "-b") { Description = "Batch size (default: the compare default of the method)" };
        var lrMin = new Option<float?>("--lr-min") { Description = "Smallest learning rate of the grid (default 0.001)" };
        var lrMax = new Option<float?>("--lr-max") { Description = "Largest learning rate of the grid (default 1)" };
        var points = new Option<int>("--points") { Description = "Log-spaced grid points", DefaultValueFactory = _ => 7 };
        var refine = new Option<int>("--refine") { Description = "Refinement points on each side of the best grid point, log-spaced between it and its neighbours (0 = none)", DefaultValueFactory = _ => 4 };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Runs trained at once", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4) };
        CommonOptions.AtLeast(rank, 1); CommonOptions.AtLeast(subBatch, 1); CommonOptions.AtLeast(points, 2); CommonOptions.AtLeast(refine, 0); CommonOptions.AtLeast(jobs, 1);
        CommonOptions.Positive(lrMin); CommonOptions.Positive(lrMax);
        batch.Validators.Add(r => { if (CommonOptions.TryValue<int?>(r, out var v) && v is < 1) r.AddError($"--batch must be >= 1 (got {v})."); });

        var command = new Command("tune", "Tune the learning rate of one method: log grid, then a finer grid around the best (lowest training loss after --epochs)");
        foreach (Option o in new Option[] { method, rank, subBatch, batch, lrMin, lrMax, points, refine, jobs }) command.Options.Add(o);
        common.AddTo(command);

        command.SetAction(parse => Cli.Guard(() =>
        {
            float lo = parse.GetValue(lrMin) ?? 1e-3f, hi = parse.GetValue(lrMax) ?? 1f;
            if (lo >= hi) return Cli.Fail($"--lr-min ({lo}) must be smaller than --lr-max ({hi}).");
            MethodNames.TryParse(parse.GetValue(method)!, out var m);
            CommonOptions.TryParseHidden(parse.GetValue(common.Hidden)!, out int[] hidden, out _);
            CommonOptions.TryParseActivation(parse.GetValue(common.Activation), out var activation);
            DeviceOptions.TryCreate(parse.GetValue(common.Device)!, parse.GetValue(common.PulseType), out var tile, out _);
            var data = DataOption.Load(parse.GetValue(common.Data));
            int k = parse.GetValue(rank), b = parse.GetValue(batch) ?? CompareCommand.Defaults[m].Batch, epochs = parse.GetValue(common.Epochs);
            ulong seed = parse.GetValue(common.Seed);
            int[] sizes = [data.Train.Features, .. hidden, data.Train.ClassCount];
            NetworkOptions Net() => new() { LayerSizes = sizes, Activation = activation, Method = m, Rank = k, SubBatch = parse.GetValue(subBatch), TileConfig = tile, Seed = seed };
            TrainingSchedule Schedule(float lr) => new() { Epochs = epochs, BatchSize = b, LearningRate = lr, ShuffleSeed = seed };

            string label = MethodNames.Label(m, k);
            AnsiConsole.MarkupLineInterpolated($"[bold]sbe tune[/]: {label}, batch {b}, {epochs} epochs, {string.Join('-', sizes)}, {DataOption.SetName(data)}");
            var scores = new List<(float Lr, double Loss, double TestAccuracy)>();
            int jobsValue = parse.GetValue(jobs);
            float[] coarse = LogGrid(lo, hi, parse.GetValue(points));
            scores.AddRange(Score(coarse, Net, Schedule, data, jobsValue));
            float bestLr = Best(scores).Lr;
            int refinePoints = parse.GetValue(refine);
            if (refinePoints > 0)
            {
                // refinePoints log-spaced points on each side of the best, strictly between it and its grid neighbours.
                double step = Math.Pow(hi / (double)lo, 1.0 / (coarse.Length - 1));
                var fine = new List<float>();
                for (int i = 1; i <= refinePoints; i++)
                {
                    double f = Math.Pow(step, i / (double)(refinePoints + 1));
                    fine.Add((float)(bestLr / f));
                    fine.Add((float)(bestLr * f));
                }
                scores.AddRange(Score([.. fine.Where(lr => scores.All(g => g.Lr != lr))], Net, Schedule, data, jobsValue));
            }
            var ranked = scores.OrderBy(s => double.IsFinite(s.Loss) ? s.Loss : double.PositiveInfinity).ToList();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("lr").AddColumn(new TableColumn("train loss").RightAligned()).AddColumn(new TableColumn("test acc").RightAligned());
            foreach (var s in scores.OrderBy(s => s.Lr))
                table.AddRow((s.Lr == ranked[0].Lr ? "* " : "  ") + s.Lr.ToString("G4", CultureInfo.InvariantCulture),
                    double.IsFinite(s.Loss) ? s.Loss.ToString("0.00000", CultureInfo.InvariantCulture) : "diverged", Reporting.Percent(s.TestAccuracy));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"best learning rate for {label} at batch {b}: [bold]{ranked[0].Lr.ToString("G4", CultureInfo.InvariantCulture)}[/] (training loss {ranked[0].Loss:0.00000} after {epochs} epochs)");
            string outDir = parse.GetValue(common.Out)!;
            Directory.CreateDirectory(outDir);
            var csv = new StringBuilder("method,batch,epochs,lr,train_loss,test_accuracy\n");
            foreach (var s in scores.OrderBy(s => s.Lr))
                csv.Append(CultureInfo.InvariantCulture, $"{label},{b},{epochs},{s.Lr:R},{s.Loss:R},{s.TestAccuracy:R}\n");
            File.WriteAllText(Path.Combine(outDir, "tune.csv"), csv.ToString());
            AnsiConsole.MarkupLineInterpolated($"Wrote tune.csv to [bold]{Path.GetFullPath(outDir)}[/]");
            return 0;
        }));
        return command;
    }

    private static (float Lr, double Loss, double TestAccuracy) Best(List<(float Lr, double Loss, double TestAccuracy)> s)
        => s.OrderBy(x => double.IsFinite(x.Loss) ? x.Loss : double.PositiveInfinity).First();

    internal static float[] LogGrid(float lo, float hi, int points)
    {
        var g = new float[points];
        for (int i = 0; i < points; i++) g[i] = (float)(lo * Math.Pow(hi / (double)lo, i / (double)(points - 1)));
        return g;
    }

    private static List<(float, double, double)> Score(float[] lrs, Func<NetworkOptions> net, Func<float, TrainingSchedule> schedule, DataSplit data, int jobs)
    {
        var results = new (float, double, double)[lrs.Length];
        Parallel.For(0, lrs.Length, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
        {
            var network = new Network(net());
            try
            {
                var h = new Trainer(network, data.Train, data.Test, schedule(lrs[i])).Run();
                results[i] = (lrs[i], h.Final.TrainLoss, h.Final.TestAccuracy);
            }
            catch (InvalidOperationException) { results[i] = (lrs[i], double.PositiveInfinity, double.NaN); } // diverged
            lock (results) Console.WriteLine($"  lr {lrs[i].ToString("G4", CultureInfo.InvariantCulture),-10} train loss {(double.IsFinite(results[i].Item2) ? results[i].Item2.ToString("0.00000", CultureInfo.InvariantCulture) : "diverged")}");
        });
        return [.. results];
    }
}
