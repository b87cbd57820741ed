using System.Globalization;
using System.Text.Json;

namespace SbeCore.Devices;

/// <summary>
/// Converts one scalar parameter's value from text (CLI, C ABI) or JSON and back, checking its kind and the schema's
/// range. Errors are <see cref="ArgumentException"/>s naming the parameter's path (e.g. device.dw_min).
/// </summary>
internal static class ConfigValues
{
    public static object FromText(ConfigParameter p, string text, string path)
    {
        string t = text.Trim();
        object value = p.Kind switch
        {
            ParameterKind.Float => ParseFloat(t, out float f) ? f : throw Wrong(p, path, $"'{Shown(text)}'"),
            ParameterKind.Int => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i) ? i : throw Wrong(p, path, $"'{Shown(text)}'"),
            ParameterKind.Bool => t.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw Wrong(p, path, $"'{Shown(text)}'"),
            },
            ParameterKind.Enum => EnumName(p, t, path),
            _ => throw new ArgumentException($"{path} is an object, not a value; set its fields (e.g. {path}.<name>).", path),
        };
        return InRange(p, value, path);
    }

    public static object FromJson(ConfigParameter p, JsonElement e, string path)
    {
        object value = p.Kind switch
        {
            ParameterKind.Float => e.ValueKind == JsonValueKind.Number && e.TryGetSingle(out float f) ? f
                : e.ValueKind == JsonValueKind.String && ParseFloat(e.GetString()!, out float s) && !float.IsFinite(s) ? s
                : throw Wrong(p, path, e.GetRawText()),
            ParameterKind.Int => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int i) ? i : throw Wrong(p, path, e.GetRawText()),
            ParameterKind.Bool => e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Wrong(p, path, e.GetRawText()),
            },
            ParameterKind.Enum => e.ValueKind == JsonValueKind.String ? EnumName(p, e.GetString()!, path) : throw Wrong(p, path, e.GetRawText()),
            _ => throw new InvalidOperationException($"{path} is an object."),
        };
        return InRange(p, value, path);
    }

    /// <summary>Invariant text of a scalar value: floats round-trip exactly ("R"), infinity as "inf"/"-inf".</summary>
    public static string ToText(object value) => value switch
    {
        float f when float.IsPositiveInfinity(f) => "inf",
        float f when float.IsNegativeInfinity(f) => "-inf",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString()!,
    };

    /// <summary>Writes a scalar as JSON (a non-finite float as the string "inf" or "-inf": JSON has no infinity).</summary>
    public static void Write(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case float f when !float.IsFinite(f): w.WriteStringValue(ToText(f)); break;
            case float f: w.WriteNumberValue(f); break;
            case int i: w.WriteNumberValue(i); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }

    private static bool ParseFloat(string text, out float value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": value = float.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = float.NegativeInfinity; return true;
        }
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !float.IsNaN(value)
            && (float.IsFinite(value) || text.Contains("inf", StringComparison.OrdinalIgnoreCase)); // "1e99" overflows: refused, not silently infinite
    }

    private static string EnumName(ConfigParameter p, string text, string path)
    {
        string folded = Fold(text);
        return p.EnumNames.FirstOrDefault(n => Fold(n) == folded)
            ?? throw new ArgumentException($"{path} must be one of {string.Join(", ", p.EnumNames)} (case and '_' ignored), got '{Shown(text)}'.", path);
    }

    private static object InRange(ConfigParameter p, object value, string path)
    {
        double v;
        switch (value)
        {
            case float f:
                if (float.IsInfinity(f) && !p.AllowsInfinity) throw OutOfRange(p, path, ToText(f), "finite");
                v = f; break;
            case int i: v = i; break;
            default: return value;
        }
        bool ok = (p.Min is not { } lo || (p.MinExclusive ? v > lo : v >= lo)) && (p.Max is not { } hi || v <= hi);
        return ok ? value : throw OutOfRange(p, path, ToText(value), p.Range);
    }

    private static ArgumentException OutOfRange(ConfigParameter p, string path, string got, string range)
        => new($"{path} ({p.Property}) must be {range}, got {got}.", path);

    private static ArgumentException Wrong(ConfigParameter p, string path, string got)
        => new($"{path} ({p.Property}) expects {Describe(p.Kind)}, got {Shown(got)}.", path);

    private static string Describe(ParameterKind kind) => kind switch
    {
        ParameterKind.Float => "a number",
        ParameterKind.Int => "an integer",
        ParameterKind.Bool => "true or false",
        _ => "a name",
    };

    private static string Fold(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim().ToLowerInvariant();

    // A caller's text echoed in a message is cut short: it may be any length.
    internal static string Shown(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "...");
}
