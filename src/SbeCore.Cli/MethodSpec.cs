using SbeCore.Updates;

namespace SbeCore.Cli;

/// <summary>A method name on the command line: a registered rule's name or alias (<see cref="UpdateRules"/>).</summary>
internal static class MethodNames
{
    /// <summary>The canonical names, for help and error texts.</summary>
    public static string Accepted => UpdateRules.Names;

    /// <summary>The names with "-K" after each ranked one, for options that take method-rank pairs ("sgd, svd, svd-K, ...").</summary>
    public static string AcceptedWithRanks => string.Join(", ", UpdateRules.All.SelectMany(r => r.HasRank ? [r.Name, r.Name + "-K"] : new[] { r.Name }));

    /// <summary>The ranked rules as "svd-k, sbe-k, ...", for the --rank help.</summary>
    public static string RankedLabels => string.Join(", ", UpdateRules.All.Where(r => r.HasRank).Select(r => r.Name + "-k"));

    public static bool TryParse(string text, out UpdateMethod method)
    {
        bool found = UpdateRules.TryFind(text, out var rule);
        method = found ? rule.Id : default;
        return found;
    }

    /// <summary>Display label, e.g. "sbe-1" (<see cref="UpdateRules.Label"/>).</summary>
    public static string Label(UpdateMethod method, int rank) => UpdateRules.Label(method, rank);
}
