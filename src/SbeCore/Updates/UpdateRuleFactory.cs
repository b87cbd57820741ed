using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>Creates update rules by method, through the registry (<see cref="UpdateRules"/>).</summary>
public static class UpdateRuleFactory
{
    /// <summary>Creates the rule for one rows x cols layer. <paramref name="rank"/> is k for the rules that have one
    /// (<see cref="UpdateRuleInfo.HasRank"/>; ignored otherwise). For Sbe, <paramref name="rank"/> overrides the Rank in
    /// <paramref name="estimatorOptions"/>; Sbpca takes its sub-batch from those options' SubBatch, and
    /// <paramref name="publishedSchedule"/> selects its published schedule (see <see cref="SbpcaRule"/>).</summary>
    /// <exception cref="ArgumentException">Invalid sizes, rank or options, or an unknown method.</exception>
    public static IUpdateRule Create(UpdateMethod method, int rows, int cols, int rank = 1,
        EstimatorOptions? estimatorOptions = null, ulong seed = 0, bool publishedSchedule = false) =>
        UpdateRules.Get(method).Create(new UpdateRuleRequest(rows, cols, rank, estimatorOptions ?? new EstimatorOptions(), seed, publishedSchedule));

    /// <summary>Creates a rule by name or alias (see <see cref="UpdateRules.TryFind"/>), as
    /// <see cref="Create(UpdateMethod, int, int, int, EstimatorOptions?, ulong, bool)"/> does by id.</summary>
    /// <exception cref="ArgumentException">An unknown name, or invalid sizes, rank or options.</exception>
    public static IUpdateRule CreateByName(string method, int rows, int cols, int rank = 1,
        EstimatorOptions? estimatorOptions = null, ulong seed = 0, bool publishedSchedule = false) =>
        UpdateRules.TryFind(method, out var rule)
            ? Create(rule.Id, rows, cols, rank, estimatorOptions, seed, publishedSchedule)
            : throw new ArgumentException($"Unknown update method '{method}'; registered: {UpdateRules.Names}.", nameof(method));
}
