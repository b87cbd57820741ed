using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>What a rule's factory gets: the layer's shape and every option a rule may read. <see cref="Rank"/> is k for
/// the rules that have one (<see cref="UpdateRuleInfo.HasRank"/>); <see cref="EstimatorOptions"/> is never null
/// (defaults when the caller gave none); <see cref="PublishedSchedule"/> is SBPCA's.</summary>
public sealed record UpdateRuleRequest(int Rows, int Cols, int Rank, EstimatorOptions EstimatorOptions, ulong Seed, bool PublishedSchedule);
