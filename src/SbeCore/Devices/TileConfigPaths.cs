using SbeCore.Crossbar;

namespace SbeCore.Devices;

/// <summary>
/// Key/value access to a <see cref="TileConfig"/> by dotted aihwkit paths, as the CLI (--device-param) and the C ABI
/// (sbe_config_set/get) use it: <c>device.dw_min</c>, <c>update.desired_bl</c>, <c>forward.out_noise</c>,
/// <c>device.unit_cell_devices.w_max</c>, <c>device.refresh_forward.out_bound</c>; <c>device.type</c> swaps the model
/// (its parameters take the new model's defaults). A bare name (<c>dw_min</c>) means the device's parameter, or,
/// for a unit cell, its device's. A transfer compound's unit_cell_devices path reads its fast device and sets both
/// devices (refused when the two differ: set them in the JSON form). Values are text in invariant culture (floats round-trip with "R").
/// </summary>
public static class TileConfigPaths
{
    /// <summary>A copy of <paramref name="config"/> with <paramref name="path"/> set to <paramref name="value"/>,
    /// validated as a whole. Throws <see cref="ArgumentException"/> naming the path; <paramref name="config"/> is immutable, so nothing changes on failure.</summary>
    public static TileConfig Set(TileConfig config, string path, string value)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(value);
        string full = Resolve(config, path);
        var result = (TileConfig)SetIn(config, ConfigSchema.Tile, full.Split('.'), 0, value, "");
        TileConfigJson.Validate(result);
        return result;
    }

    /// <summary>The value at <paramref name="path"/> as text (a device's "type" is its aihwkit class name).</summary>
    public static string Get(TileConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        string[] parts = Resolve(config, path).Split('.');
        object record = config;
        var section = ConfigSchema.Tile;
        string at = "";
        for (int i = 0; i < parts.Length; i++)
        {
            at = at.Length == 0 ? parts[i] : $"{at}.{parts[i]}";
            if (section.IsDevice && parts[i] == "type" && i == parts.Length - 1) return section.Name;
            var p = section.Find(parts[i]) ?? throw TileConfigJson.Unknown(section, at);
            object value = p.Get(record);
            if (i == parts.Length - 1)
                return p.Kind is ParameterKind.Device or ParameterKind.IO or ParameterKind.Update
                    ? throw new ArgumentException($"{at} is an object; read its fields (e.g. {at}.{(p.Kind == ParameterKind.Device ? "type" : SectionOf(p, value).Parameters[0].Name)}).", at)
                    : ConfigValues.ToText(value);
            (record, section) = (value, SectionOf(p, value));
        }
        throw new ArgumentException("The parameter path is empty.", nameof(path));
    }

    /// <summary>Every path of <paramref name="config"/> (device.type first), in schema order: what <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names(TileConfig config)
    {
        var names = new List<string>();
        Collect(config, ConfigSchema.Tile, "", names);
        return names;
    }

    /// <summary>The full path of a possibly bare name (see the class summary); the path is not checked here.</summary>
    public static string Resolve(TileConfig config, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The parameter name is empty.", nameof(path));
        string name = path.Trim();
        string head = name.Split('.')[0];
        if (ConfigSchema.Tile.Find(head) is not null) return name;
        if (config.Device is OneSidedUnitCell && ConfigSchema.Section("OneSidedUnitCell").Find(head) is null && head != "type") return $"device.unit_cell_devices.{name}";
        if (config.Device is TransferCompound && ConfigSchema.Section("TransferCompound").Find(head) is null && head != "type") return $"device.unit_cell_devices.{name}";
        return $"device.{name}";
    }

    private static object SetIn(object record, ConfigSection section, string[] parts, int i, string value, string path)
    {
        string at = path.Length == 0 ? parts[i] : $"{path}.{parts[i]}";
        var p = section.Find(parts[i]) ?? throw TileConfigJson.Unknown(section, at);
        if (i == parts.Length - 1) return p.With(record, ConfigValues.FromText(p, value, at));
        object child = p.Get(record);
        if (record is TransferCompound t && p.Kind == ParameterKind.Device && t.FastDevice != t.SlowDevice)
            throw new ArgumentException($"{at}: this transfer compound's fast and slow devices differ and a path sets both; give them in the JSON form (\"unit_cell_devices\": [fast, slow]).", at);
        if (p.Kind == ParameterKind.Device && parts[i + 1] == "type")
        {
            if (i + 2 != parts.Length) throw new ArgumentException($"{at}.type has no fields.", $"{at}.type");
            return p.With(record, TileConfigJson.DeviceSection(value, $"{at}.type", pulsedOnly: record is OneSidedUnitCell or TransferCompound).CreateDefault());
        }
        if (p.Kind is not (ParameterKind.Device or ParameterKind.IO or ParameterKind.Update))
            throw new ArgumentException($"{at} is a value, not an object: '{string.Join('.', parts)}' has no meaning.", at);
        return p.With(record, SetIn(child, SectionOf(p, child), parts, i + 1, value, at));
    }

    private static void Collect(object record, ConfigSection section, string path, List<string> names)
    {
        if (section.IsDevice) names.Add($"{path}.type");
        foreach (var p in section.Parameters)
        {
            string at = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
            if (p.Kind is ParameterKind.Device or ParameterKind.IO or ParameterKind.Update)
            {
                object child = p.Get(record);
                Collect(child, SectionOf(p, child), at, names);
            }
            else names.Add(at);
        }
    }

    private static ConfigSection SectionOf(ConfigParameter p, object value) => p.Kind switch
    {
        ParameterKind.Device => ConfigSchema.SectionOf((IDeviceModel)value),
        ParameterKind.IO => ConfigSchema.IO,
        _ => ConfigSchema.Update,
    };
}
