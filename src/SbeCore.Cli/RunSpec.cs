using SbeCore.Training;

namespace SbeCore.Cli;

/// <summary>One training run the CLI performs: a label, the network to build, and its schedule. Checkpoint: a file the
/// network is saved to after every epoch (before that epoch's evaluation); Resume: a checkpoint of this very network to
/// continue from (its completed epochs are skipped).</summary>
internal sealed record RunSpec(string Label, NetworkOptions Network, TrainingSchedule Schedule, string Device = "ideal")
{
    public string? Checkpoint { get; init; }
    public string? Resume { get; init; }
}

/// <summary>A finished run.</summary>
internal sealed record RunResult(RunSpec Spec, TrainingHistory History, double WallSeconds);
