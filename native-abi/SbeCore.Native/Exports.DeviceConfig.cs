using System.Runtime.InteropServices;
using System.Text;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Training;

namespace SbeCore.Native;

/// <summary>A config handle's value: the TileConfig is immutable, the box is what a set replaces.</summary>
internal sealed class ConfigBox(TileConfig value)
{
    public TileConfig Value { get; set; } = value;
}

// Device configs as data (ABI 1.3): a config handle set and read by aihwkit parameter paths or as JSON, so a C host
// configures every device parameter without knowing any struct layout. One schema: SbeCore.Devices.ConfigSchema.
internal static unsafe partial class Exports
{
    internal static readonly HandleTable<ConfigBox> Configs = new(0x5BE4, "config");

    /// <summary>sbe_config_create: a config from a preset name (NULL or "" = ideal: exact writes and reads).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_create")]
    public static int ConfigCreate(byte* preset, nint* outConfig)
    {
        try
        {
            Args.NotNull(outConfig, "out");
            *outConfig = 0;
            string name = preset == null ? "" : Marshal.PtrToStringUTF8((nint)preset) ?? "";
            TileConfig config;
            if (name.Length == 0) config = new TileConfig();
            else if (!TileConfig.TryPreset(name, out config!))
                throw new SbeException(SbeStatus.InvalidArgument, $"preset is '{ConfigValues.Shown(name)}', not a known preset; accepted (case, '-' and '_' ignored): {TileConfigs.AcceptedNames}.");
            *outConfig = Configs.Add(new ConfigBox(config));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_from_json: a config from its JSON form (docs/crossbar.md, "Configs as data").</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_from_json")]
    public static int ConfigFromJson(byte* json, nint* outConfig)
    {
        try
        {
            Args.NotNull(outConfig, "out");
            *outConfig = 0;
            Args.NotNull(json, "json");
            var config = TileConfigJson.Parse(Marshal.PtrToStringUTF8((nint)json) ?? "");
            *outConfig = Configs.Add(new ConfigBox(config));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_destroy: frees the config; NULL is a no-op. Tiles and networks built from it keep their copy.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_destroy")]
    public static int ConfigDestroy(nint config)
    {
        try { Configs.Remove(config, "config"); return 0; }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_set: sets one parameter by path (device.dw_min, update.desired_bl, forward.out_noise; a bare
    /// name is the device's) from its text value. The whole config is validated; on failure nothing changes.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_set")]
    public static int ConfigSet(nint config, byte* name, byte* value)
    {
        try
        {
            using var lease = Configs.Use(config, "config", out var box);
            string path = Utf8(name, "name"), text = Utf8(value, "value");
            box.Value = TileConfigPaths.Set(box.Value, path, text);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_get: one parameter's value as text (floats round-trip exactly).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_get")]
    public static int ConfigGet(nint config, byte* name, byte* buffer, nuint capacity, nuint* length)
    {
        try
        {
            using var lease = Configs.Use(config, "config", out var box);
            return CopyOut(TileConfigPaths.Get(box.Value, Utf8(name, "name")), buffer, capacity, length);
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_json: the whole config as JSON (every parameter).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_json")]
    public static int ConfigJson(nint config, byte* buffer, nuint capacity, nuint* length)
    {
        try
        {
            using var lease = Configs.Use(config, "config", out var box);
            return CopyOut(TileConfigJson.Write(box.Value), buffer, capacity, length);
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_names: every parameter path of the config, one per line ('\n'-separated).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_names")]
    public static int ConfigNames(nint config, byte* buffer, nuint capacity, nuint* length)
    {
        try
        {
            using var lease = Configs.Use(config, "config", out var box);
            return CopyOut(string.Join('\n', TileConfigPaths.Names(box.Value)), buffer, capacity, length);
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_config_schema: the parameter schema of every model as JSON (name, property, kind, default, range).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_config_schema")]
    public static int ConfigSchemaJson(byte* buffer, nuint capacity, nuint* length)
    {
        try { return CopyOut(TileConfigJson.WriteSchema(), buffer, capacity, length); }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_create_with_config: a rows x cols tile with the config's device, update and I/O.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_create_with_config")]
    public static int TileCreateWithConfig(nint config, nuint rows, nuint cols, ulong seed, nint* outTile)
    {
        try
        {
            Args.NotNull(outTile, "out");
            *outTile = 0;
            using var lease = Configs.Use(config, "config", out var box);
            int r = Args.Dim(rows, "rows"), c = Args.Dim(cols, "cols");
            Args.Product(r, c, "the tile");
            *outTile = Tiles.Add(new CrossbarTile(r, c, box.Value, seed));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_get_config: a new config handle holding the tile's config (destroy it with sbe_config_destroy).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_get_config")]
    public static int TileGetConfig(nint tile, nint* outConfig)
    {
        try
        {
            Args.NotNull(outConfig, "out");
            *outConfig = 0;
            using var lease = Tiles.Use(tile, "tile", out var t);
            *outConfig = Configs.Add(new ConfigBox(t.Config));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_create_with_config: like sbe_network_create, every layer's tile from the config handle
    /// (config->tile is ignored: it may be zeroed).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_create_with_config")]
    public static int NetworkCreateWithConfig(NetworkConfigV1* config, nint device, nint* outNetwork)
    {
        try
        {
            Args.NotNull(outNetwork, "out");
            *outNetwork = 0;
            using var lease = Configs.Use(device, "device", out var box);
            *outNetwork = Networks.Add(new Network(NetworkOptionsOf(config, box.Value)));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_get_layer_config: a new config handle holding the tile config of one layer.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_get_layer_config")]
    public static int NetworkGetLayerConfig(nint network, nuint layer, nint* outConfig)
    {
        try
        {
            Args.NotNull(outConfig, "out");
            *outConfig = 0;
            using var lease = Networks.Use(network, "network", out var n);
            if (layer >= (nuint)n.LayerCount) throw new SbeException(SbeStatus.InvalidArgument, $"layer is {layer}; the network has {n.LayerCount} layers.");
            *outConfig = Configs.Add(new ConfigBox(n.GetTile((int)layer).Config));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    private static string Utf8(byte* text, string name)
    {
        Args.NotNull(text, name);
        return Marshal.PtrToStringUTF8((nint)text) ?? "";
    }

    // *length gets the UTF-8 byte count (without the NUL) in every case. buffer NULL with capacity 0 only asks for it;
    // a buffer too small is refused (nothing written) so a caller never mistakes a cut text for the whole.
    private static int CopyOut(string text, byte* buffer, nuint capacity, nuint* length)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return CopyOut(bytes, terminate: true, "the text", buffer, capacity, length);
    }

    // Out-parameters of a variable size (text, blobs): *length gets the data's byte count in every case; buffer NULL
    // with capacity 0 only asks for it; a buffer too small for the data (and its NUL when terminated) is refused with
    // nothing written.
    internal static int CopyOut(ReadOnlySpan<byte> data, bool terminate, string what, byte* buffer, nuint capacity, nuint* length)
    {
        if (length != null) *length = (nuint)data.Length;
        if (buffer == null && capacity == 0)
        {
            if (length == null) throw new SbeException(SbeStatus.NullPointer, "buffer and length are both NULL: nothing to return.");
            return 0;
        }
        Args.NotNull(buffer, "buffer");
        nuint needed = (nuint)data.Length + (terminate ? 1u : 0u);
        if (capacity < needed)
            throw new SbeException(SbeStatus.InvalidArgument, $"capacity is {capacity}; {what} needs {needed} bytes{(terminate ? " with its NUL" : "")} (*length has the count).");
        data.CopyTo(new Span<byte>(buffer, data.Length));
        if (terminate) buffer[data.Length] = 0;
        return 0;
    }
}
