using System.Globalization;
using SbeCore.Data;
using SbeCore.Experiments;

namespace SbeCore.Cli.Experiments;

/// <summary>Where a sweep cell's learning rate comes from: a fixed --lr, the tune cache (tuning on a miss), or the untuned fallback.</summary>
internal sealed class LearningRates
{
    private readonly GridOptions.Resolved _options;
    private readonly LearningRateTuner _tuner;
    private readonly float? _fixed;
    private readonly bool _tune;

    public LearningRates(GridOptions.Resolved options, DataSplit data, float? fixedLr, bool tune)
    {
        _options = options; _fixed = fixedLr; _tune = tune;
        _tuner = new LearningRateTuner(new TuneCache(options.TuneCache), options.Settings with { StopAtLoss = 0, MaxEvaluationsPerEpoch = 1 }, data, options.TuneEpochs);
    }

    public LearningRateTuner Tuner => _tuner;

    /// <summary>The cell whose tuned value applies to <paramref name="cell"/> (same method and batch, on the tuning device).</summary>
    public SweepCell TuningCell(SweepCell cell)
        => _options.TuneDevice.Equals("same", StringComparison.OrdinalIgnoreCase) ? cell : cell with { Device = _options.TuneDevice };

    public (float Lr, string Source) For(SweepCell cell, Action<string>? log = null)
    {
        if (_fixed is { } f) return (f, "fixed");
        var tuningCell = TuningCell(cell);
        string source = tuningCell.Device == cell.Device ? "tuned" : "tuned-" + tuningCell.Device;
        if (_tuner.TryCached(tuningCell) is { } hit) return (hit.LearningRate, source);
        if (!_tune) return (CellRunner.FallbackLearningRate(cell.Method), "fallback");
        log?.Invoke($"tuning {tuningCell.MethodLabel} batch {tuningCell.BatchSize} on {tuningCell.Device} ({_options.TuneEpochs} epochs per probe)");
        var entry = _tuner.Tune(tuningCell);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"tuned {tuningCell.MethodLabel} batch {tuningCell.BatchSize}: lr {entry.LearningRate:0.####} (loss {entry.Loss:0.0000} after {entry.Epochs} epochs, {entry.Probes.Count} probes)"));
        return (entry.LearningRate, source);
    }
}
