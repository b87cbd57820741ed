using System.Globalization;

namespace SbeCore.Updates;

/// <summary>
/// One update rule as the registry (<see cref="UpdateRules"/>) knows it: its id, its name on the command line, in
/// Python and in labels (lower case), other accepted spellings, whether k is a parameter, its value in the C ABI's
/// sbe_method enum (null: not reachable from C), whether it writes once per sample (so its batch size is always 1),
/// and the factory that builds it for one layer.
/// </summary>
public sealed record UpdateRuleInfo(
    UpdateMethod Id,
    string Name,
    IReadOnlyList<string> Aliases,
    bool HasRank,
    uint? AbiId,
    bool WritesPerSample,
    string Description,
    Func<UpdateRuleRequest, IUpdateRule> Create)
{
    /// <summary>The label of this rule at rank k: its name, followed by "-k" when it has a rank ("sgd", "sbe-4").</summary>
    public string Label(int rank) => HasRank ? string.Create(CultureInfo.InvariantCulture, $"{Name}-{rank}") : Name;

    /// <summary>Every spelling that selects this rule: the name, then the aliases.</summary>
    public IEnumerable<string> Spellings => Aliases.Prepend(Name);
}
