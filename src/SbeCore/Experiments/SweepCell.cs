using System.Globalization;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>
/// One point of a sweep grid: update method, rank (svd-k and sbe-k only; 1 for sgd and minibatch), batch size,
/// device preset name (see <see cref="DeviceCatalog"/>), seed and the network's architecture (null: the MLP of the
/// sweep's hidden sizes). Its <see cref="Key"/> names its result file.
/// </summary>
public sealed record SweepCell(UpdateMethod Method, int Rank, int BatchSize, string Device, ulong Seed, string? Architecture = null)
{
    /// <summary>Display label of the method: sgd, minibatch, svd-k, sbe-k.</summary>
    public string MethodLabel => LabelOf(Method, Rank);

    /// <summary>A file-name-safe unique key, e.g. <c>sbe-1_b00032_ecram_s1</c> (batch zero-padded so keys sort by batch),
    /// with <c>_a</c> and the architecture appended for a layered network (<c>sbe-1_b00032_ideal_s1_alenet5</c>); MLP keys
    /// are those of sweeps before architectures existed.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"{MethodLabel}_b{BatchSize:D5}_{Sanitize(Device)}_s{Seed}{(Architecture is null ? "" : "_a" + Sanitize(Architecture.Trim()))}");

    /// <summary>Display label of a method at rank k.</summary>
    public static string LabelOf(UpdateMethod method, int rank) => method switch
    {
        UpdateMethod.Sgd => "sgd",
        UpdateMethod.MiniBatch => "minibatch",
        UpdateMethod.TruncatedSvd => string.Create(CultureInfo.InvariantCulture, $"svd-{rank}"),
        UpdateMethod.Sbpca => string.Create(CultureInfo.InvariantCulture, $"sbpca-{rank}"),
        UpdateMethod.Lrt => string.Create(CultureInfo.InvariantCulture, $"lrt-{rank}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"sbe-{rank}"),
    };

    /// <summary>Reads a method label (sgd, minibatch, svd-k, sbe-k, sbpca-k, lrt-k; see <see cref="LabelOf"/>, its inverse).</summary>
    public static bool TryParseLabel(string? label, out UpdateMethod method)
    {
        method = UpdateMethod.Sgd;
        switch (label)
        {
            case "sgd": return true;
            case "minibatch": method = UpdateMethod.MiniBatch; return true;
        }
        int dash = label?.IndexOf('-') ?? -1;
        if (label is null || dash < 1
            || !int.TryParse(label.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int rank) || rank < 1) return false;
        switch (label[..dash])
        {
            case "svd": method = UpdateMethod.TruncatedSvd; return true;
            case "sbe": method = UpdateMethod.Sbe; return true;
            case "sbpca": method = UpdateMethod.Sbpca; return true;
            case "lrt": method = UpdateMethod.Lrt; return true;
            default: return false;
        }
    }

    /// <summary>Lower-case letters, digits and '-' kept; anything else becomes '-'.</summary>
    internal static string Sanitize(string text)
    {
        var chars = text.ToLowerInvariant().ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '-')) chars[i] = '-';
        return new string(chars);
    }
}
