using System.CommandLine;
using System.Globalization;
using SbeCore.Experiments;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>
/// `sbe tune`: the paper's learning-rate tuning for one (method, batch size, device), through the same
/// <see cref="LearningRateTuner"/> and JSON cache as `sbe sweep tune`: a log grid (extended while the best sits on an edge),
/// two refinements around the best, keep the learning rate with the lowest whole-training-set loss after --epochs.
/// A cached result is reused, never searched again, and sweeps pick it up.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var common = new CommonOptions(5, Path.Combine("results", "tune"), "Folder of tuned learning rates (JSON), shared with sbe sweep");
        var method = new Option<string>("--method", "-m") { Description = $"Update rule: {MethodNames.Accepted}", DefaultValueFactory = _ => "sbe" };
        method.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string>(r, out var v) && !MethodNames.TryParse(v ?? "", out _)) r.AddError($"unknown method '{v}'; expected one of: {MethodNames.Accepted}.");
        });
        var rank = new Option<int>("--rank", "-k") { Description = $"k of {MethodNames.RankedLabels}", DefaultValueFactory = _ => 1 };
        var batch = new Option<int?>("--batch", "-b") { Description = "Batch size (default: the compare default of the method)" };
        var lrMin = new Option<float?>("--lr-min") { Description = "Smallest learning rate of the coarse log grid (default 0.001)" };
        var lrMax = new Option<float?>("--lr-max") { Description = "Largest learning rate of the coarse log grid (default 3.2)" };
        var lrStep = new Option<float?>("--lr-step") { Description = "Coarse grid spacing in decades (default 0.5); each refinement halves it" };
        var refine = new Option<int>("--refine-rounds") { Description = "Refinements around the best (each at half the previous spacing)", DefaultValueFactory = _ => 2 };
        CommonOptions.AtLeast(rank, 1); CommonOptions.AtLeast(refine, 0);
        CommonOptions.Positive(lrMin); CommonOptions.Positive(lrMax); CommonOptions.Positive(lrStep);
        batch.Validators.Add(r => { if (CommonOptions.TryValue<int?>(r, out var v) && v is < 1) r.AddError($"--batch must be >= 1 (got {v})."); });

        var command = new Command("tune", "Tune the learning rate of one method: log grid, refine around the best, keep the lowest training loss after --epochs; cached as JSON for sbe sweep");
        foreach (Option o in new Option[] { method, rank, batch, lrMin, lrMax, lrStep, refine }) command.Options.Add(o);
        common.AddTo(command);

        command.SetAction(parse => Cli.Guard(() =>
        {
            var search = new LearningRateSearch
            {
                Min = parse.GetValue(lrMin) ?? 1e-3, Max = parse.GetValue(lrMax) ?? 3.2, StepDecades = parse.GetValue(lrStep) ?? 0.5,
                RefineRounds = parse.GetValue(refine),
            };
            if (search.Min >= search.Max) return Cli.Fail($"--lr-min ({search.Min}) must be smaller than --lr-max ({search.Max}).");
            MethodNames.TryParse(parse.GetValue(method)!, out var m);
            CommonOptions.TryParseHidden(parse.GetValue(common.Hidden)!, out int[] hidden, out _);
            CommonOptions.TryParseActivation(parse.GetValue(common.Activation), out var activation);
            string device = parse.GetValue(common.Device)!, pulse = parse.GetValue(common.PulseType) ?? "";
            // The tuned rate is cached under the device's name, which parameters set on the command line would not change.
            if (parse.GetValue(common.DeviceParam) is { Length: > 0 })
                return Cli.Fail("tune caches by device name: put the parameters in a --device-file instead of --device-param.");
            if (parse.GetValue(common.DeviceFile) is { } file)
            {
                if (!common.TryDevice(parse, out _, out string fileError)) return Cli.Fail(fileError);
                device = file;
            }
            OutputFolder.Prepare(parse.GetValue(common.Out)!);
            var data = DataOption.Load(parse.GetValue(common.Data), parse.GetValue(common.Subset));
            int epochs = parse.GetValue(common.Epochs);
            var cell = new SweepCell(m, parse.GetValue(rank), parse.GetValue(batch) ?? CompareCommand.Defaults(m).Batch,
                pulse.Length == 0 ? device : $"{device}:{pulse}", parse.GetValue(common.Seed));
            var settings = new ExperimentSettings { Hidden = hidden, Architecture = parse.GetValue(common.Arch), Activation = activation, Epochs = epochs, StopAtLoss = 0, MaxEvaluationsPerEpoch = 1 };
            var tuner = new LearningRateTuner(new TuneCache(parse.GetValue(common.Out)!), settings, data, epochs, search, cell.Seed);

            AnsiConsole.MarkupLineInterpolated($"[bold]sbe tune[/]: {cell.MethodLabel}, batch {cell.BatchSize}, device {cell.Device}, {epochs} epochs per probe, {data.Train.Name}{(settings.Architecture is null ? "" : ", " + settings.Architecture)}");
            bool cached = tuner.TryCached(cell) is not null;
            var entry = tuner.Tune(cell, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  lr {p.LearningRate,-10:G4} train loss {(double.IsFinite(p.Loss) ? p.Loss.ToString("0.00000", CultureInfo.InvariantCulture) : "diverged")}")));
            var table = new Table().Border(TableBorder.Rounded).AddColumn("lr").AddColumn(new TableColumn($"train loss after {epochs} ep").RightAligned());
            foreach (var p in entry.Probes.OrderBy(p => p.LearningRate))
                table.AddRow((p.LearningRate == entry.LearningRate ? "* " : "  ") + p.LearningRate.ToString("G4", CultureInfo.InvariantCulture),
                    double.IsFinite(p.Loss) ? p.Loss.ToString("0.00000", CultureInfo.InvariantCulture) : "diverged");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"best learning rate for {cell.MethodLabel} at batch {cell.BatchSize}: [bold]{entry.LearningRate.ToString("G4", CultureInfo.InvariantCulture)}[/] (training loss {entry.Loss:0.00000} after {epochs} epochs)");
            AnsiConsole.MarkupLineInterpolated($"{(cached ? "Reused" : "Cached")} [bold]{Path.Combine(Path.GetFullPath(parse.GetValue(common.Out)!), tuner.KeyOf(cell) + ".json")}[/]");
            return 0;
        }));
        return command;
    }
}
