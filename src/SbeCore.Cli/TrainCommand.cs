using System.CommandLine;
using SbeCore.Eigen;
using SbeCore.Training;
using SbeCore.Updates;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>`sbe train`: one method with every knob.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var common = new CommonOptions(5, Path.Combine("results", "train"));
        var method = new Option<string>("--method", "-m") { Description = $"Update rule: {MethodNames.Accepted}", DefaultValueFactory = _ => "sbe" };
        method.Validators.Add(r =>
        {
            string v = (CommonOptions.TryValue<string>(r, out var text) ? text : null) ?? "";
            if (!MethodNames.TryParse(v, out _)) r.AddError($"unknown method '{v}'; expected one of: {MethodNames.Accepted}.");
        });
        var rank = new Option<int>("--rank", "-k") { Description = $"k of {MethodNames.RankedLabels}", DefaultValueFactory = _ => 1 };
        var layerRanks = new Option<string?>("--layer-ranks") { Description = $"k per weight layer, input side first (e.g. 4,1: rank 4 on the hidden layer, 1 on the output layer), instead of --rank; {MethodNames.RankedLabels} only" };
        layerRanks.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string?>(r, out var text) && text is not null && !TryParseRanks(text, out _))
                r.AddError($"--layer-ranks must be ranks >= 1, comma-separated (got '{text}').");
        });
        var subBatch = new Option<int>("--sub-batch") { Description = "m, samples per bi-iteration step of rank-k SBE and per power step of SBPCA (1 = fully streaming; the SBPCA authors' default is 32)", DefaultValueFactory = _ => 1 };
        var published = new Option<bool>("--published-schedule") { Description = "SBPCA only: the authors' schedule (whole sub-batches only: a batch's tail, and a batch smaller than the sub-batch, are dropped)" };
        var batch = new Option<int?>("--batch", "-b") { Description = "Batch size (default: the compare default of the method)" };
        var lr = new Option<float?>("--lr") { Description = "Constant learning rate (default: the compare default of the method)" };
        var magnitude = new Option<string>("--magnitude") { Description = "SBE only: singular value written with each rank-1 update: running-mean (the paper's, default), right-norm (|X|), rayleigh (d^T M x from a second pass over the batch), start-rayleigh (single pass: the exact quotients along the batch's start vectors, written along them)", DefaultValueFactory = _ => "running-mean" };
        magnitude.Validators.Add(r =>
        {
            string v = (CommonOptions.TryValue<string>(r, out var text) ? text : null) ?? "";
            if (!TryParseMagnitude(v, out _)) r.AddError($"unknown --magnitude '{v}'; expected running-mean, right-norm, rayleigh or start-rayleigh.");
        });
        var coldStart = new Option<bool>("--cold-start") { Description = "SBE only: reset the estimator after every batch (each batch estimated from the first sample's delta and x) instead of the paper's warm start" };
        var diagnostics = new Option<bool>("--diagnostics") { Description = "SBE only: record singular-vector and -value errors against the exact SVD of every batch" };
        var stopAt = new Option<double>("--stop-at-loss") { Description = "Stop once the training loss is at or below this (0 = never)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save the whole network (tiles with device state, rule state, random streams, epochs done) to this file after every epoch, atomically" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a --checkpoint file: give the command that wrote it (same network, device, seed, data, batch, lr; --epochs is the total); the result is bit-identical to a run that never stopped" };
        CommonOptions.AtLeast(rank, 1);
        CommonOptions.AtLeast(subBatch, 1);
        batch.Validators.Add(r => { if (CommonOptions.TryValue<int?>(r, out var v) && v is < 1) r.AddError($"--batch must be >= 1 (got {v})."); });
        CommonOptions.Positive(lr);
        stopAt.Validators.Add(r => { if (CommonOptions.TryValue<double>(r, out double v) && (!double.IsFinite(v) || v < 0)) r.AddError($"--stop-at-loss must be >= 0 (got {v})."); });

        var command = new Command("train", "Train one network with one update rule and every knob; write results.json, history.csv and PNG plots");
        command.Options.Add(method); command.Options.Add(rank); command.Options.Add(layerRanks); command.Options.Add(subBatch); command.Options.Add(published); command.Options.Add(magnitude); command.Options.Add(coldStart); command.Options.Add(batch); command.Options.Add(lr);
        common.AddTo(command);
        command.Options.Add(diagnostics); command.Options.Add(stopAt); command.Options.Add(checkpoint); command.Options.Add(resume);

        command.SetAction(parse => Cli.Guard(() =>
        {
            MethodNames.TryParse(parse.GetValue(method)!, out var m);
            CommonOptions.TryParseHidden(parse.GetValue(common.Hidden)!, out int[] hidden, out _);
            if (!common.TryDevice(parse, out var tile, out string deviceError))
                return Cli.Fail(deviceError);
            if (parse.GetValue(diagnostics) && m != UpdateMethod.Sbe) return Cli.Fail("--diagnostics needs --method sbe.");
            TryParseMagnitude(parse.GetValue(magnitude)!, out var mag);
            if (mag != MagnitudeEstimate.RunningMean && m != UpdateMethod.Sbe) return Cli.Fail("--magnitude needs --method sbe.");
            if (parse.GetValue(published) && m != UpdateMethod.Sbpca) return Cli.Fail("--published-schedule needs --method sbpca.");
            int[]? perLayer = null;
            if (parse.GetValue(layerRanks) is { } ranksText)
            {
                TryParseRanks(ranksText, out perLayer);
                if (!UpdateRules.Get(m).HasRank) return Cli.Fail($"--layer-ranks needs a ranked method ({MethodNames.RankedLabels}).");
                if (parse.GetValue(checkpoint) is not null || parse.GetValue(resume) is not null) return Cli.Fail("--layer-ranks cannot be combined with --checkpoint or --resume (a checkpoint keeps one rank).");
            }
            bool cold = parse.GetValue(coldStart);
            if (cold && m != UpdateMethod.Sbe) return Cli.Fail("--cold-start needs --method sbe.");
            OutputFolder.Prepare(parse.GetValue(common.Out)!);
            int k = parse.GetValue(rank);
            ulong seed = parse.GetValue(common.Seed);
            var (defBatch, defLr) = CompareCommand.Defaults(m);
            int batchSize = parse.GetValue(batch) ?? defBatch;
            string? arch = parse.GetValue(common.Arch);
            NetworkOptions Net(int[] sizes) => new()
            {
                LayerSizes = sizes, Architecture = arch, Activation = Act(parse.GetValue(common.Activation)), Method = m, Rank = k, LayerRanks = perLayer, SubBatch = parse.GetValue(subBatch),
                PublishedSchedule = parse.GetValue(published), TileConfig = tile, Seed = seed, Threads = parse.GetValue(common.Threads),
                Estimator = mag == MagnitudeEstimate.RunningMean && !cold ? null : new EstimatorOptions
                {
                    Rank = k, SubBatch = parse.GetValue(subBatch), Magnitude = mag,
                    WarmStart = !cold, Initialization = cold ? InitialState.FirstSample : InitialState.Gaussian,
                },
            };
            JitWarmup.Start([(Net(CommonOptions.Sizes(arch, hidden, JitWarmup.Features, JitWarmup.Classes)), batchSize)]);
            var data = DataOption.Load(parse.GetValue(common.Data), parse.GetValue(common.Subset));
            int[] sizes = CommonOptions.Sizes(arch, hidden, data.Train.Features, data.Train.ClassCount);
            string label = perLayer is null ? MethodNames.Label(m, k) : $"{UpdateRules.Get(m).Name}-{string.Join('/', perLayer)}";
            var spec = new RunSpec(label,
                Net(sizes),
                new TrainingSchedule
                {
                    Epochs = parse.GetValue(common.Epochs), BatchSize = batchSize, LearningRate = parse.GetValue(lr) ?? defLr,
                    ShuffleSeed = seed, EvaluationsPerEpoch = CommonOptions.EvaluationsPerEpoch(parse.GetValue(common.EvalsPerEpoch), batchSize), Diagnostics = parse.GetValue(diagnostics),
                    StopAtLoss = parse.GetValue(stopAt),
                }, common.DeviceLabel(parse)) { Checkpoint = parse.GetValue(checkpoint), Resume = parse.GetValue(resume) };
            string title = $"{spec.Label}, {CommonOptions.NetName(arch, sizes)} {spec.Network.Activation.ToString().ToLowerInvariant()}, {data.Name}, batch {spec.Schedule.BatchSize}, lr {spec.Schedule.LearningRate}, device {DeviceOptions.Describe(common.DeviceLabel(parse), tile)}";
            AnsiConsole.MarkupLineInterpolated($"[bold]sbe train[/]: {title}, {spec.Schedule.Epochs} epochs, seed {seed}{(spec.Resume is null ? "" : $", resumed from {spec.Resume}")}");
            var results = RunExecutor.Execute([spec], data, 1);
            Reporting.PrintTable(results);
            Reporting.WriteOutputs(parse.GetValue(common.Out)!, "train", data, results, title);
            return 0;
        }));
        return command;
    }

    private static bool TryParseMagnitude(string text, out MagnitudeEstimate magnitude)
    {
        magnitude = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "runningmean" => MagnitudeEstimate.RunningMean,
            "rightnorm" => MagnitudeEstimate.RightNorm,
            "rayleigh" => MagnitudeEstimate.Rayleigh,
            "startrayleigh" => MagnitudeEstimate.StartRayleigh,
            _ => (MagnitudeEstimate)(-1),
        };
        return Enum.IsDefined(magnitude);
    }

    private static bool TryParseRanks(string text, out int[] ranks)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        ranks = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ranks[i]) || ranks[i] < 1) return false;
        return true;
    }

    private static Activation Act(string? text) { CommonOptions.TryParseActivation(text, out var a); return a; }
}
