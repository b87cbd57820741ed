using System.Globalization;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>
/// One point of a sweep grid: update method, rank (svd-k and sbe-k only; 1 for sgd and minibatch), batch size,
/// device preset name (see <see cref="DeviceCatalog"/>) and seed. Its <see cref="Key"/> names its result file.
/// </summary>
public sealed record SweepCell(UpdateMethod Method, int Rank, int BatchSize, string Device, ulong Seed)
{
    /// <summary>Display label of the method: sgd, minibatch, svd-k, sbe-k.</summary>
    public string MethodLabel => LabelOf(Method, Rank);

    /// <summary>A file-name-safe unique key, e.g. <c>sbe-1_b00032_ecram_s1</c> (batch zero-padded so keys sort by batch).</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{MethodLabel}_b{BatchSize:D5}_{Sanitize(Device)}_s{Seed}");

    /// <summary>Display label of a method at rank k (<see cref="UpdateRules.Label"/>).</summary>
    public static string LabelOf(UpdateMethod method, int rank) => UpdateRules.Label(method, rank);

    /// <summary>Reads a method label (sgd, minibatch, svd-k, sbe-k, sbpca-k, lrt-k; see <see cref="LabelOf"/>, its inverse).</summary>
    public static bool TryParseLabel(string? label, out UpdateMethod method) => UpdateRules.TryParseLabel(label, out method, out _);

    /// <summary>Lower-case letters, digits and '-' kept; anything else becomes '-'.</summary>
    internal static string Sanitize(string text)
    {
        var chars = text.ToLowerInvariant().ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '-')) chars[i] = '-';
        return new string(chars);
    }
}
