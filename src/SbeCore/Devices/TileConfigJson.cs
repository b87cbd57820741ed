using System.Text;
using System.Text.Json;
using SbeCore.Crossbar;

namespace SbeCore.Devices;

/// <summary>
/// The JSON form of a whole <see cref="TileConfig"/> with aihwkit's names (docs/crossbar.md, "Configs as data"):
/// <c>{"device": {"type": "ConstantStepDevice", "dw_min": 0.001, ...}, "update": {...}, "forward": {...}, "backward": {...}}</c>.
/// A unit cell holds its device as <c>"unit_cell_devices": [{...}]</c>. <see cref="Write"/> emits every parameter,
/// so Parse(Write(c)) == c exactly. A key left out keeps its record's default (a missing "forward"/"backward" is an
/// exact read, as in <c>new TileConfig()</c>; a given one starts from aihwkit's IOParameters defaults).
/// Unknown names, wrong types and out-of-range values are refused with an <see cref="ArgumentException"/> naming
/// the parameter's path; the result is validated as a whole.
/// </summary>
public static class TileConfigJson
{
    /// <summary>The config as indented JSON (every parameter). A custom device model has no data form (throws NotSupportedException).</summary>
    public static string Write(TileConfig config, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
            WriteRecord(w, config, ConfigSchema.Tile);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses and validates a config written by <see cref="Write"/> or by hand.</summary>
    /// <exception cref="ArgumentException">Malformed JSON, an unknown name, a wrong type or an invalid value (the message names it).</exception>
    public static TileConfig Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { throw new ArgumentException($"The tile config is not valid JSON: {e.Message}", nameof(json)); }
        using (doc)
        {
            var config = (TileConfig)ReadRecord(doc.RootElement, ConfigSchema.Tile, ConfigSchema.Tile.CreateDefault(), "");
            Validate(config);
            return config;
        }
    }

    /// <summary>Reads a config file (see <see cref="Parse"/>); the message names the file.</summary>
    public static TileConfig Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ArgumentException($"Cannot read the device file '{path}': {e.Message}", nameof(path)); }
        try { return Parse(text); }
        catch (ArgumentException e) { throw new ArgumentException($"{path}: {e.Message}", nameof(path)); }
    }

    /// <summary>The schema itself as JSON: for each section (aihwkit class), each parameter's name, C# property,
    /// kind, default and range. Front ends check their own parameter lists against it.</summary>
    public static string WriteSchema()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var section in ConfigSchema.Sections)
            {
                w.WriteStartArray(section.Name);
                object defaults = section.CreateDefault();
                foreach (var p in section.Parameters)
                {
                    w.WriteStartObject();
                    w.WriteString("name", p.Name);
                    w.WriteString("property", p.Property);
                    w.WriteString("kind", p.Kind.ToString().ToLowerInvariant());
                    w.WritePropertyName("default");
                    object value = p.Get(defaults);
                    if (p.Kind is ParameterKind.Device) w.WriteStringValue(ConfigSchema.SectionOf((IDeviceModel)value).Name);
                    else if (p.Kind is ParameterKind.IO or ParameterKind.Update) WriteRecord(w, value, p.Kind == ParameterKind.IO ? ConfigSchema.IO : ConfigSchema.Update);
                    else ConfigValues.Write(w, value);
                    w.WriteString("range", p.Range);
                    if (p.Kind == ParameterKind.Enum)
                    {
                        w.WriteStartArray("values");
                        foreach (string n in p.EnumNames) w.WriteStringValue(n);
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static void Validate(TileConfig config)
    {
        try { config.Validate(); }
        catch (ArgumentException e) { throw new ArgumentException($"Invalid tile config: {e.Message}", e.ParamName, e); }
    }

    private static void WriteRecord(Utf8JsonWriter w, object record, ConfigSection section)
    {
        w.WriteStartObject();
        if (section.IsDevice) w.WriteString("type", section.Name);
        foreach (var p in section.Parameters)
        {
            w.WritePropertyName(p.Name);
            object value = p.Get(record);
            switch (p.Kind)
            {
                case ParameterKind.Device when record is OneSidedUnitCell: // aihwkit's list form
                    w.WriteStartArray();
                    WriteRecord(w, value, ConfigSchema.SectionOf((IDeviceModel)value));
                    w.WriteEndArray();
                    break;
                case ParameterKind.Device when record is TransferCompound t: // [fast, slow]
                    w.WriteStartArray();
                    WriteRecord(w, t.FastDevice, ConfigSchema.SectionOf(t.FastDevice));
                    WriteRecord(w, t.SlowDevice, ConfigSchema.SectionOf(t.SlowDevice));
                    w.WriteEndArray();
                    break;
                case ParameterKind.Device: WriteRecord(w, value, ConfigSchema.SectionOf((IDeviceModel)value)); break;
                case ParameterKind.IO: WriteRecord(w, value, ConfigSchema.IO); break;
                case ParameterKind.Update: WriteRecord(w, value, ConfigSchema.Update); break;
                default: ConfigValues.Write(w, value); break;
            }
        }
        w.WriteEndObject();
    }

    private static object ReadRecord(JsonElement e, ConfigSection section, object record, string path)
    {
        string where = path.Length == 0 ? "the tile config" : path;
        if (e.ValueKind != JsonValueKind.Object) throw new ArgumentException($"{where} must be a JSON object, got {e.ValueKind.ToString().ToLowerInvariant()}.", where);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            string name = property.Name, at = path.Length == 0 ? name : $"{path}.{name}";
            if (!seen.Add(name)) throw new ArgumentException($"{at} is given twice.", at);
            if (section.IsDevice && name == "type") continue;
            if (record is TransferCompound && ConfigSchema.TransferCompoundNotImplemented.Contains(name))
                throw new ArgumentException($"{at}: aihwkit's TransferCompound.{name} is not implemented in SbeCore (docs/crossbar.md, Transfer compound).", at);
            var p = section.Find(name) ?? throw Unknown(section, at);
            if (record is TransferCompound && p.Kind == ParameterKind.Device)
            {
                record = ReadTransferDevices((TransferCompound)record, property.Value, at);
                continue;
            }
            object value = p.Kind switch
            {
                ParameterKind.Device => ReadDevice(Unwrap(property.Value, record is OneSidedUnitCell, at), at, nestedInCell: record is OneSidedUnitCell),
                ParameterKind.IO => ReadRecord(property.Value, ConfigSchema.IO, ConfigSchema.IO.CreateDefault(), at),
                ParameterKind.Update => ReadRecord(property.Value, ConfigSchema.Update, ConfigSchema.Update.CreateDefault(), at),
                _ => ConfigValues.FromJson(p, property.Value, at),
            };
            record = p.With(record, value);
        }
        return record;
    }

    // A transfer compound's unit_cell_devices: [fast, slow], or one entry for both (aihwkit's further devices of
    // longer chains are not implemented).
    private static TransferCompound ReadTransferDevices(TransferCompound cell, JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() is not (1 or 2))
            throw new ArgumentException($"{path} must be a list of one or two devices ([fast, slow]; one is used for both; chains of more are not implemented).", path);
        var fast = (PulsedDevice)ReadDevice(e[0], $"{path}[0]", nestedInCell: true);
        var slow = e.GetArrayLength() == 2 ? (PulsedDevice)ReadDevice(e[1], $"{path}[1]", nestedInCell: true) : fast;
        return cell with { FastDevice = fast, SlowDevice = slow };
    }

    // A unit cell's unit_cell_devices is a list in aihwkit; both devices of the pair use its one entry.
    private static JsonElement Unwrap(JsonElement e, bool list, string path)
    {
        if (!list) return e;
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 1)
            throw new ArgumentException($"{path} must be a list of one device (both devices of the pair use it).", path);
        return e[0];
    }

    private static IDeviceModel ReadDevice(JsonElement e, string path, bool nestedInCell)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new ArgumentException($"{path} must be a JSON object with a \"type\", got {e.ValueKind.ToString().ToLowerInvariant()}.", path);
        if (!e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            throw new ArgumentException($"{path}.type is missing: name the device model ({DeviceTypes(nestedInCell)}).", $"{path}.type");
        var section = DeviceSection(type.GetString()!, $"{path}.type", nestedInCell);
        return (IDeviceModel)ReadRecord(e, section, section.CreateDefault(), path);
    }

    /// <summary>The device section named <paramref name="name"/> (aihwkit class name; case ignored, the "Device" suffix optional).</summary>
    internal static ConfigSection DeviceSection(string name, string path, bool pulsedOnly)
    {
        string folded = name.Trim().ToLowerInvariant();
        var section = ConfigSchema.Devices.FirstOrDefault(s => s.Name.Equals(folded, StringComparison.OrdinalIgnoreCase)
            || (s.Name.EndsWith("Device", StringComparison.Ordinal) && s.Name[..^6].Equals(folded, StringComparison.OrdinalIgnoreCase)))
            ?? throw new ArgumentException($"{path} '{ConfigValues.Shown(name)}' is not a device model; known: {DeviceTypes(pulsedOnly)}.", path);
        if (pulsedOnly && !typeof(PulsedDevice).IsAssignableFrom(section.RecordType))
            throw new ArgumentException($"{path} is {section.Name}, but a unit cell holds a pulsed device: {DeviceTypes(true)}.", path);
        return section;
    }

    private static string DeviceTypes(bool pulsedOnly) => string.Join(", ", ConfigSchema.Devices
        .Where(s => !pulsedOnly || typeof(PulsedDevice).IsAssignableFrom(s.RecordType)).Select(s => s.Name));

    internal static ArgumentException Unknown(ConfigSection section, string path)
        => new($"{path} is not a parameter of {section.Name}; known: {string.Join(", ", (section.IsDevice ? ["type"] : Array.Empty<string>()).Concat(section.Parameters.Select(p => p.Name)))}.", path);
}
