using System.CommandLine;
using System.Globalization;
using SbeCore.Experiments;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Cli.Experiments;

/// <summary>
/// Options shared by `sbe sweep` and `sbe tune`: the grid axes, the network, the epoch budget and the tuning settings,
/// with presets (quick, full, devices) that fill every option the user did not give.
/// </summary>
internal sealed class GridOptions
{
    public Option<string> Preset { get; } = new("--preset") { Description = "Defaults for every option not given: quick (MNIST-10k, batch 1..1024, 30 epochs, tune 2 epochs), full (batch 1..8192, 200 epochs, tune 5 epochs, seeds 1-3), devices (batch 32, ideal/constantstep/ecram/reramsb, 10 epochs, sgd/minibatch/svd-1/sbe-1/sbe-4, seeds 1-3, learning rate tuned on each device)", DefaultValueFactory = _ => "quick" };
    public Option<string?> Methods { get; } = new("--methods") { Description = "Methods, comma-separated: sgd, minibatch, svd, sbe (rank from --ranks) or svd-K, sbe-K" };
    public Option<string?> Batches { get; } = new("--batches") { Description = "Batch sizes, comma-separated, or a power-of-two range like 1..1024" };
    public Option<string?> Ranks { get; } = new("--ranks") { Description = "Ranks k of svd and sbe given without one, comma-separated" };
    public Option<string?> Devices { get; } = new("--devices") { Description = $"Device presets, comma-separated: {DeviceCatalog.Accepted}" };
    public Option<string?> Seeds { get; } = new("--seeds") { Description = "Seeds, comma-separated or a range like 1..3" };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Epoch budget per cell" };
    public Option<double?> StopAtLoss { get; } = new("--stop-at-loss") { Description = "Stop a cell once the training loss reaches this (0 = run the whole budget)" };
    public Option<int?> TuneEpochs { get; } = new("--tune-epochs") { Description = "Epochs per learning-rate probe (the paper: 5)" };
    public Option<string?> TuneDevice { get; } = new("--tune-device") { Description = "Device the learning rate is tuned on: a preset name, or 'same' for each cell's own device" };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer sizes, comma-separated", DefaultValueFactory = _ => "100" };
    public Option<string> Activation { get; } = new("--activation") { Description = "relu or sigmoid", DefaultValueFactory = _ => "relu" };
    public Option<string?> Data { get; } = new("--data") { Description = "Data directory (full MNIST / Fashion-MNIST IDX files); default: the embedded MNIST-10k" };
    public Option<string?> Subset { get; } = DataOption.CreateSubset();
    public Option<string?> TuneCache { get; } = new("--tune-cache") { Description = "Folder of tuned learning rates (JSON), shared by tune and sweep (default results/tune)" };
    public Option<int> Jobs { get; } = new("--jobs", "-j") { Description = "Cells or probes trained at once", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4) };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Preset, Methods, Batches, Ranks, Devices, Seeds, Epochs, StopAtLoss, TuneEpochs, TuneDevice, Hidden, Activation, Data, Subset, TuneCache, Jobs })
            command.Options.Add(o);
    }

    /// <summary>Everything resolved: preset values for what the user did not give.</summary>
    public sealed record Resolved(string PresetName, List<(UpdateMethod Method, int Rank)> MethodRanks, int[] Batches, string[] Devices, ulong[] Seeds,
        ExperimentSettings Settings, int TuneEpochs, string TuneDevice, string? Data, string? Subset, string TuneCache, int Jobs)
    {
        public SweepGrid Grid() => new(MethodRanks, Batches, Devices, Seeds);
    }

    private sealed record PresetValues(string Methods, string Batches, string Ranks, string Devices, string Seeds, int Epochs, double StopAtLoss, int TuneEpochs, string TuneDevice);

    private static readonly Dictionary<string, PresetValues> s_presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["quick"] = new("sgd,minibatch,svd,sbe", "1..1024", "1", "ideal", "1", 30, 0.01, 2, "ideal"),
        ["full"] = new("sgd,minibatch,svd,sbe", "1..8192", "1", "ideal", "1..3", 200, 0.01, 5, "ideal"),
        ["devices"] = new("sgd,minibatch,svd-1,sbe-1,sbe-4", "32", "1", "ideal,constantstep,ecram,reramsb", "1..3", 10, 0, 2, "same"),
    };

    /// <summary>Resolves the options or returns a one-line error.</summary>
    public bool TryResolve(ParseResult parse, out Resolved resolved, out string error)
    {
        resolved = null!;
        error = "";
        string presetName = parse.GetValue(Preset)!;
        if (!s_presets.TryGetValue(presetName, out var p)) { error = $"unknown --preset '{presetName}'; expected quick, full or devices."; return false; }
        string methodsText = parse.GetValue(Methods) ?? p.Methods;
        if (!TryParseIntList(parse.GetValue(Ranks) ?? p.Ranks, "--ranks", out int[] ranks, out error)) return false;
        if (!TryParseMethods(methodsText, ranks, out var methodRanks, out error)) return false;
        if (!TryParseIntList(parse.GetValue(Batches) ?? p.Batches, "--batches", out int[] batches, out error)) return false;
        if (!TryParseSeeds(parse.GetValue(Seeds) ?? p.Seeds, out ulong[] seeds, out error)) return false;
        string[] devices = (parse.GetValue(Devices) ?? p.Devices).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (devices.Length == 0) { error = "--devices is empty."; return false; }
        foreach (string d in devices) if (!DeviceCatalog.TryCreate(d, out _, out error)) return false;
        string tuneDevice = parse.GetValue(TuneDevice) ?? p.TuneDevice;
        if (!tuneDevice.Equals("same", StringComparison.OrdinalIgnoreCase) && !DeviceCatalog.TryCreate(tuneDevice, out _, out error)) return false;
        if (!CommonOptions.TryParseHidden(parse.GetValue(Hidden)!, out int[] hidden, out error)) return false;
        if (!CommonOptions.TryParseActivation(parse.GetValue(Activation), out var activation)) { error = $"--activation must be relu or sigmoid (got '{parse.GetValue(Activation)}')."; return false; }
        int epochs = parse.GetValue(Epochs) ?? p.Epochs;
        if (epochs < 1) { error = $"--epochs must be >= 1 (got {epochs})."; return false; }
        double stop = parse.GetValue(StopAtLoss) ?? p.StopAtLoss;
        if (!double.IsFinite(stop) || stop < 0) { error = $"--stop-at-loss must be >= 0 (got {stop})."; return false; }
        int tuneEpochs = parse.GetValue(TuneEpochs) ?? p.TuneEpochs;
        if (tuneEpochs < 1) { error = $"--tune-epochs must be >= 1 (got {tuneEpochs})."; return false; }
        int jobs = parse.GetValue(Jobs);
        if (jobs < 1) { error = $"--jobs must be >= 1 (got {jobs})."; return false; }
        resolved = new Resolved(presetName.ToLowerInvariant(), methodRanks, batches, devices, seeds,
            new ExperimentSettings { Hidden = hidden, Activation = activation, Epochs = epochs, StopAtLoss = stop },
            tuneEpochs, tuneDevice, parse.GetValue(Data), parse.GetValue(Subset), parse.GetValue(TuneCache) ?? Path.Combine("results", "tune"), jobs);
        return true;
    }

    public static bool TryParseMethods(string text, int[] ranks, out List<(UpdateMethod, int)> pairs, out string error)
    {
        pairs = []; error = "";
        foreach (string token in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = token; int? k = null;
            int dash = token.LastIndexOf('-');
            if (dash > 0 && int.TryParse(token[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int parsedK))
            {
                name = token[..dash]; k = parsedK;
            }
            if (!MethodNames.TryParse(name, out var m)) { error = $"unknown method '{token}' in --methods; expected {MethodNames.AcceptedWithRanks}."; return false; }
            if (k is < 1) { error = $"rank in '{token}' must be >= 1."; return false; }
            if (!SweepGrid.HasRank(m)) pairs.Add((m, 1));
            else if (k is { } kk) pairs.Add((m, kk));
            else foreach (int r in ranks) pairs.Add((m, r));
        }
        if (pairs.Count == 0) { error = "--methods is empty."; return false; }
        return true;
    }

    /// <summary>"1,2,8" or a power-of-two range "1..1024".</summary>
    public static bool TryParseIntList(string text, string name, out int[] values, out string error)
    {
        values = []; error = "";
        var list = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split("..");
            if (range.Length == 2 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hi) && lo >= 1 && hi >= lo)
                list.AddRange(SweepGrid.PowersOfTwo(lo, hi));
            else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1) list.Add(v);
            else { error = $"{name} expects positive integers or a power-of-two range like 1..1024 (got '{part}')."; return false; }
        }
        if (list.Count == 0) { error = $"{name} is empty."; return false; }
        values = [.. list.Distinct()];
        return true;
    }

    /// <summary>"1,2,3" or "1..3" (consecutive).</summary>
    public static bool TryParseSeeds(string text, out ulong[] seeds, out string error)
    {
        seeds = []; error = "";
        var list = new List<ulong>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split("..");
            if (range.Length == 2 && ulong.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong lo)
                && ulong.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong hi) && hi >= lo && hi - lo < 10000)
                for (ulong s = lo; s <= hi; s++) list.Add(s);
            else if (ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) list.Add(v);
            else { error = $"--seeds expects non-negative integers or a range like 1..3 (got '{part}')."; return false; }
        }
        if (list.Count == 0) { error = "--seeds is empty."; return false; }
        seeds = [.. list.Distinct()];
        return true;
    }
}
