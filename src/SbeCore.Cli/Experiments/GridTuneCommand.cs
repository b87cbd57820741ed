using System.CommandLine;
using System.Globalization;
using SbeCore.Experiments;
using Spectre.Console;

namespace SbeCore.Cli.Experiments;

/// <summary>`sbe sweep tune`: the paper's learning-rate search for every (method, batch size) of a grid, cached as JSON that `sbe sweep` reuses.</summary>
internal static class GridTuneCommand
{
    public static Command Create()
    {
        var grid = new GridOptions();
        var min = new Option<double>("--lr-min") { Description = "Smallest learning rate of the coarse log grid", DefaultValueFactory = _ => 1e-3 };
        var max = new Option<double>("--lr-max") { Description = "Largest learning rate of the coarse log grid", DefaultValueFactory = _ => 3.2 };
        var step = new Option<double>("--lr-step") { Description = "Coarse grid spacing in decades (refined twice by halving)", DefaultValueFactory = _ => 0.5 };
        var command = new Command("tune", "Tune the learning rate of every (method, batch size) of the grid: log grid, refine around the best, keep the lowest training loss after --tune-epochs; cached (JSON) for sbe sweep");
        grid.AddTo(command);
        command.Options.Add(min); command.Options.Add(max); command.Options.Add(step);
        command.SetAction(parse => Cli.Guard(() =>
        {
            if (!grid.TryResolve(parse, out var o, out string error)) return Cli.Fail(error);
            var search = new LearningRateSearch { Min = parse.GetValue(min), Max = parse.GetValue(max), StepDecades = parse.GetValue(step) };
            OutputFolder.Prepare(o.TuneCache, "--tune-cache");
            var data = DataOption.Load(o.Data, o.Subset);
            var tuner = new LearningRateTuner(new TuneCache(o.TuneCache), o.Settings with { StopAtLoss = 0, MaxEvaluationsPerEpoch = 1 }, data, o.TuneEpochs, search);
            // One tuning target per (method, batch, tuning device): seeds do not matter (probes use seed 1).
            var targets = o.Grid().Cells
                .Select(c => o.TuneDevice.Equals("same", StringComparison.OrdinalIgnoreCase) ? c : c with { Device = o.TuneDevice })
                .Select(c => c with { Seed = tuner.Seed }).DistinctBy(c => c.Key).ToList();
            AnsiConsole.MarkupLineInterpolated($"[bold]sbe sweep tune[/]: {targets.Count} (method, batch, device) targets, {o.TuneEpochs} epochs per probe, {data.Train.Name}, cache {Path.GetFullPath(o.TuneCache)}");
            var entries = new TuneEntry[targets.Count];
            var gate = new object();
            Parallel.For(0, targets.Count, new ParallelOptions { MaxDegreeOfParallelism = o.Jobs }, i =>
            {
                entries[i] = tuner.Tune(targets[i]);
                lock (gate) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{targets[i].MethodLabel} batch {targets[i].BatchSize} {targets[i].Device}: lr {entries[i].LearningRate:0.#####} loss {entries[i].Loss:0.0000} ({entries[i].Probes.Count} probes)"));
            });
            var table = new Table().AddColumns("method", "batch", "device", "lr", $"loss after {o.TuneEpochs} ep", "probes");
            foreach (var e in entries)
                table.AddRow(e.Method, e.BatchSize.ToString(CultureInfo.InvariantCulture), e.Device, e.LearningRate.ToString("0.#####", CultureInfo.InvariantCulture),
                    e.Loss.ToString("0.0000", CultureInfo.InvariantCulture), e.Probes.Count.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
