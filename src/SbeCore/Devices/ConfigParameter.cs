using System.Globalization;

namespace SbeCore.Devices;

/// <summary>What a <see cref="ConfigParameter"/> holds.</summary>
public enum ParameterKind
{
    /// <summary>A float32.</summary>
    Float,
    /// <summary>A 32-bit integer.</summary>
    Int,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>One name of <see cref="ConfigParameter.EnumNames"/>.</summary>
    Enum,
    /// <summary>A nested device model (a unit cell's unit_cell_devices, a tile's device).</summary>
    Device,
    /// <summary>A nested <see cref="Crossbar.IOConfig"/> (aihwkit IOParameters).</summary>
    IO,
    /// <summary>A nested <see cref="Crossbar.UpdateConfig"/> (aihwkit UpdateParameters).</summary>
    Update,
}

/// <summary>
/// One parameter of a config record: its aihwkit name, C# property, kind, default and the range its record's
/// Validate enforces (documentation and tests only: Validate stays the single enforcement point, so the
/// messages are the records' own). Read and replaced through delegates, so it works under NativeAOT (no reflection).
/// </summary>
public sealed class ConfigParameter
{
    internal ConfigParameter(string name, string property, ParameterKind kind, Func<object, object> get, Func<object, object, object> with)
    {
        Name = name; Property = property; Kind = kind; _get = get; _with = with;
    }

    private readonly Func<object, object> _get;
    private readonly Func<object, object, object> _with;

    /// <summary>aihwkit's name (snake_case), the key in JSON, the CLI and the C ABI.</summary>
    public string Name { get; }

    /// <summary>The C# property of the record.</summary>
    public string Property { get; }

    /// <summary>What the parameter holds.</summary>
    public ParameterKind Kind { get; }

    /// <summary>For <see cref="ParameterKind.Enum"/>: the accepted names (C# enum member names).</summary>
    public IReadOnlyList<string> EnumNames { get; internal init; } = [];

    /// <summary>Smallest valid value (null: none).</summary>
    public double? Min { get; internal init; }

    /// <summary>True: <see cref="Min"/> itself is invalid.</summary>
    public bool MinExclusive { get; internal init; }

    /// <summary>Largest valid value (null: none).</summary>
    public double? Max { get; internal init; }

    /// <summary>For floats: whether +-infinity is a valid value (otherwise every float must be finite).</summary>
    public bool AllowsInfinity { get; internal init; }

    /// <summary>The valid range in words, e.g. "> 0", "[0, 1]", "any finite".</summary>
    public string Range => Kind switch
    {
        ParameterKind.Bool => "true or false",
        ParameterKind.Enum => string.Join(" | ", EnumNames),
        ParameterKind.Device or ParameterKind.IO or ParameterKind.Update => "object",
        _ => (Min, Max) switch
        {
            (null, null) => "any finite",
            ({ } lo, null) => $"{(MinExclusive ? ">" : ">=")} {Format(lo)}" + (AllowsInfinity ? " (may be infinite)" : ""),
            (null, { } hi) => $"<= {Format(hi)}",
            ({ } lo, { } hi) => $"[{Format(lo)}, {Format(hi)}]",
        },
    };

    /// <summary>The parameter's value in <paramref name="record"/> (float, int, bool, the enum's name, or the nested record).</summary>
    public object Get(object record)
    {
        object value = _get(record);
        return Kind == ParameterKind.Enum ? value.ToString()! : value;
    }

    /// <summary>A copy of <paramref name="record"/> with this parameter set (records are immutable). The value must
    /// already have the parameter's type (an enum by name); it is not validated here.</summary>
    public object With(object record, object value) => _with(record, value);

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);
}
