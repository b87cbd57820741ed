using SbeCore.Training;

namespace SbeCore.Cli;

/// <summary>One training run the CLI performs: a label, the network to build, and its schedule.</summary>
internal sealed record RunSpec(string Label, NetworkOptions Network, TrainingSchedule Schedule, string Device = "ideal");

/// <summary>A finished run.</summary>
internal sealed record RunResult(RunSpec Spec, TrainingHistory History, double WallSeconds);
