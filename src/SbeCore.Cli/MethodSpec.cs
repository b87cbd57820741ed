using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Cli;

/// <summary>A method name on the command line: sgd, minibatch (mbgd), svd (truncated-svd), sbe, sbpca or lrt.</summary>
internal static class MethodNames
{
    public const string Accepted = "sgd, minibatch, svd, sbe, sbpca, lrt";

    public static bool TryParse(string text, out UpdateMethod method)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "sgd": method = UpdateMethod.Sgd; return true;
            case "minibatch" or "mini-batch" or "mbgd": method = UpdateMethod.MiniBatch; return true;
            case "svd" or "truncatedsvd" or "truncated-svd": method = UpdateMethod.TruncatedSvd; return true;
            case "sbe": method = UpdateMethod.Sbe; return true;
            case "sbpca": method = UpdateMethod.Sbpca; return true;
            case "lrt": method = UpdateMethod.Lrt; return true;
            default: method = default; return false;
        }
    }

    /// <summary>Display label, e.g. "sbe-1" (the library's, <see cref="SweepCell.LabelOf"/>).</summary>
    public static string Label(UpdateMethod method, int rank) => SweepCell.LabelOf(method, rank);
}
