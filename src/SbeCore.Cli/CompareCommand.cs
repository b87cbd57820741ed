using System.CommandLine;
using SbeCore.Training;
using SbeCore.Updates;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>
/// `sbe compare`: the main job. Trains the same network from the same start and data order with every method and
/// reports them side by side. Defaults (see docs/training.md): 784-100-10 ReLU on MNIST-10k, 20 epochs;
/// SGD is the paper's per-sample SGD (batch 1); the batch methods use batch 16.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Defaults of a rule that writes once per sample (SGD) and of one that writes once per batch.</summary>
    private static readonly (int Batch, float Lr) PerSampleDefaults = (1, 0.02f), PerBatchDefaults = (16, 0.2f);

    /// <summary>Per-method defaults: batch size and learning rate.</summary>
    internal static (int Batch, float Lr) Defaults(UpdateMethod method) =>
        UpdateRules.Get(method).WritesPerSample ? PerSampleDefaults : PerBatchDefaults;

    internal const int DefaultEpochs = 20;

    public static Command Create()
    {
        var common = new CommonOptions(DefaultEpochs, Path.Combine("results", "compare"));
        var methods = new Option<string>("--methods") { Description = $"Methods to compare, comma-separated: {MethodNames.Accepted}", DefaultValueFactory = _ => "sgd,minibatch,svd,sbe" };
        methods.Validators.Add(r =>
        {
            foreach (var m in ((CommonOptions.TryValue<string>(r, out var text) ? text : null) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (!MethodNames.TryParse(m, out _)) { r.AddError($"unknown method '{m}' in --methods; expected: {MethodNames.Accepted}."); return; }
        });
        var rank = new Option<int>("--rank") { Description = $"k of {MethodNames.RankedLabels}", DefaultValueFactory = _ => 1 };
        CommonOptions.AtLeast(rank, 1);
        var batch = new Option<int?>("--batch") { Description = $"Batch size of the batch methods (default {PerBatchDefaults.Batch}); SGD always uses 1" };
        batch.Validators.Add(r => { if (CommonOptions.TryValue<int?>(r, out var v) && v is < 1) r.AddError($"--batch must be >= 1 (got {v})."); });
        var lrs = UpdateRules.All.ToDictionary(r => r.Id, r => new Option<float?>($"--lr-{r.Name}")
        {
            Description = $"Learning rate of {(r.HasRank ? r.Name + "-k" : r.Name)} (default {Defaults(r.Id).Lr})",
        });
        var jobs = new Option<int>("--jobs", "-j") { Description = "Runs trained at once (each is deterministic on its own)", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4) };
        CommonOptions.AtLeast(jobs, 1);
        var diagnostics = new Option<bool>("--diagnostics") { Description = "Record SBE's singular-vector and -value errors against the exact SVD of every batch (slow)" };

        var command = new Command("compare", "Train the same network with SGD, minibatch, truncated SVD and SBE from the same start; print a table, write results.json, history.csv and PNG plots");
        common.AddTo(command);
        command.Options.Add(methods); command.Options.Add(rank); command.Options.Add(batch);
        foreach (var o in lrs.Values) { CommonOptions.Positive(o); command.Options.Add(o); }
        command.Options.Add(jobs); command.Options.Add(diagnostics);

        command.SetAction(parse => Cli.Guard(() =>
        {
            CommonOptions.TryParseHidden(parse.GetValue(common.Hidden)!, out int[] hidden, out _);
            if (!common.TryDevice(parse, out var tile, out string deviceError))
                return Cli.Fail(deviceError);
            OutputFolder.Prepare(parse.GetValue(common.Out)!);
            int k = parse.GetValue(rank);
            ulong seed = parse.GetValue(common.Seed);
            string? arch = parse.GetValue(common.Arch);
            var runs = new List<(string Label, UpdateMethod Method, int Batch, float Lr)>();
            foreach (var name in parse.GetValue(methods)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                MethodNames.TryParse(name, out var method);
                var (defBatch, defLr) = Defaults(method);
                int b = UpdateRules.Get(method).WritesPerSample ? 1 : parse.GetValue(batch) ?? defBatch;
                runs.Add((MethodNames.Label(method, k), method, b, parse.GetValue(lrs[method]) ?? defLr));
            }
            NetworkOptions Net(int[] sizes, UpdateMethod method) => new() { LayerSizes = sizes, Architecture = arch, Activation = Act(parse.GetValue(common.Activation)), Method = method, Rank = k, TileConfig = tile, Seed = seed, Threads = parse.GetValue(common.Threads) };
            int[] guessed = CommonOptions.Sizes(arch, hidden, JitWarmup.Features, JitWarmup.Classes);
            JitWarmup.Start(runs.Select(r => (Net(guessed, r.Method), r.Batch)).ToList());
            var data = DataOption.Load(parse.GetValue(common.Data), parse.GetValue(common.Subset));
            int[] sizes = CommonOptions.Sizes(arch, hidden, data.Train.Features, data.Train.ClassCount);
            var specs = runs.Select(r => new RunSpec(r.Label, Net(sizes, r.Method),
                new TrainingSchedule
                {
                    Epochs = parse.GetValue(common.Epochs), BatchSize = r.Batch, LearningRate = r.Lr, ShuffleSeed = seed,
                    EvaluationsPerEpoch = CommonOptions.EvaluationsPerEpoch(parse.GetValue(common.EvalsPerEpoch), r.Batch),
                    Diagnostics = parse.GetValue(diagnostics) && r.Method == UpdateMethod.Sbe,
                }, common.DeviceLabel(parse))).ToList();
            string title = $"{CommonOptions.NetName(arch, sizes)} {Act(parse.GetValue(common.Activation)).ToString().ToLowerInvariant()}, {data.Name} ({data.Train.Count} train / {data.Test.Count} test), device {DeviceOptions.Describe(common.DeviceLabel(parse), tile)}";
            AnsiConsole.MarkupLineInterpolated($"[bold]sbe compare[/]: {title}, {specs[0].Schedule.Epochs} epochs, seed {seed}");
            var results = RunExecutor.Execute(specs, data, parse.GetValue(jobs));
            Reporting.PrintTable(results);
            Reporting.WriteOutputs(parse.GetValue(common.Out)!, "compare", data, results, title);
            return 0;
        }));
        return command;
    }

    private static Activation Act(string? text) { CommonOptions.TryParseActivation(text, out var a); return a; }
}
