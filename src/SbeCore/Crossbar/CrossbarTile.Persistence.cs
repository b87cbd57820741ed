using SbeCore.Devices;
using SbeCore.IO;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// Save/load: a FramedFile ("SBETILE\0", u32 version, u64 payload length, payload, u32 CRC-32 of the payload).
// The payload holds shape, seed, configs, then the state: weights, bounds, hidden parameters, counters, the update
// stream, the read count (the reads' noise is keyed by it), hidden (persistent) weights, the post-update step count, the
// pulsed-write count and a unit cell's device arrays, so a loaded tile continues bit-identically. Files of other
// versions are refused (their random streams cannot be continued). Per-device reset values, decay scales and diffusion
// rates are redrawn from the seed.
public sealed partial class CrossbarTile
{
    private static ReadOnlySpan<byte> Magic => "SBETILE\0"u8;

    /// <summary>Version of the file format written by <see cref="Save(string)"/>.</summary>
    public const uint FileFormatVersion = 4;

    /// <summary>Largest tile file <see cref="Load(string, IDeviceModel?)"/> reads (1 GiB, about 50 million devices); checked before anything is allocated.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>
    /// Saves the tile atomically: writes "PATH.tmp-PID-TID" next to <paramref name="path"/>, then renames it over. Only a
    /// regular file is replaced: a symbolic link, FIFO, device or directory at the path is refused with an IOException.
    /// Temporary files of writers that were killed mid-save (their pid is gone) are removed first.
    /// </summary>
    public void Save(string path)
    {
        SafeFile.SaveAtomically(path, Serialize, "tile file");
    }

    /// <summary>Writes the tile to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize());
    }

    // The whole file (frame and payload) in memory, refused before anything is written if Load could not read it back.
    private byte[] Serialize()
    {
        var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true)) WritePayload(w);
        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        long fileBytes = FramedFile.Overhead + (long)bytes.Length;
        if (fileBytes > MaxFileBytes)
            throw new InvalidOperationException($"A {Rows} x {Cols} tile needs a {fileBytes:N0}-byte file, more than the {MaxFileBytes:N0}-byte limit Load reads; it is not saved.");
        var file = new MemoryStream((int)fileBytes);
        FramedFile.Write(file, Magic, FileFormatVersion, bytes);
        return file.ToArray();
    }

    /// <summary>Loads a tile saved by <see cref="Save(string)"/>. A truncated, corrupt or foreign file throws
    /// <see cref="InvalidDataException"/>, as does a file over <see cref="MaxFileBytes"/> (checked before reading). Only a
    /// regular file is opened: a directory, FIFO or device is refused with an IOException naming it, without blocking.
    /// Pass <paramref name="customDevice"/> if the tile uses your own device model.</summary>
    public static CrossbarTile Load(string path, IDeviceModel? customDevice = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = SafeFile.ReadAllBytes(path, MaxFileBytes, "tile file");
        try { return Load(file, customDevice); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }

    /// <summary>Loads a tile from the bytes of a saved file (see <see cref="Load(string, IDeviceModel?)"/>).</summary>
    public static CrossbarTile Load(ReadOnlySpan<byte> file, IDeviceModel? customDevice = null)
    {
        var payload = FramedFile.Unframe(file, Magic, FileFormatVersion, "tile file");
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload.ToArray(), writable: false));
            var tile = ReadPayload(r, customDevice);
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("Tile file has unread bytes after the payload.");
            return tile;
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("Tile file payload ends early.", e); }
        catch (ArgumentException e) when (e.ParamName != "customDevice") { throw new InvalidDataException($"Tile file holds an invalid configuration: {e.Message}", e); }
    }

    private void WritePayload(BinaryWriter w)
    {
        WriteDescription(w);
        WriteState(w);
    }

    // Shape, seed and configs: what the constructor builds from, before any state.
    private void WriteDescription(BinaryWriter w)
    {
        w.Write(Rows); w.Write(Cols); w.Write(Seed);
        DeviceCodec.Write(w, _device);
        WriteUpdate(w, Config.Update);
        WriteIO(w, Config.Forward);
        WriteIO(w, Config.Backward);
        w.Write(_parametersPerDevice);
    }

    /// <summary>
    /// Makes this tile continue exactly as <paramref name="source"/> would (weights, device state, counters, random
    /// streams): how a network checkpoint restores the tiles its layers already hold. Both must have the same shape,
    /// seed and configs, else <see cref="InvalidDataException"/> and nothing changes.
    /// </summary>
    internal void CopyStateFrom(CrossbarTile source)
    {
        if (!SameDescription(source))
            throw new InvalidDataException($"the saved {source.Rows} x {source.Cols} tile (seed {source.Seed}) does not match the network's {Rows} x {Cols} tile (seed {Seed}) or its device configuration.");
        var state = new MemoryStream();
        using (var w = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true)) source.WriteState(w);
        state.Position = 0;
        using var r = new BinaryReader(state);
        ReadState(r);
    }

    /// <summary>True if <paramref name="other"/> has this tile's shape, seed and configs.</summary>
    internal bool SameDescription(CrossbarTile other) => Description(other).AsSpan().SequenceEqual(Description(this));

    private static byte[] Description(CrossbarTile tile)
    {
        var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true)) tile.WriteDescription(w);
        return bytes.ToArray();
    }

    private void WriteState(BinaryWriter w)
    {
        WriteFloats(w, _weights); WriteFloats(w, _wMin); WriteFloats(w, _wMax); WriteFloats(w, _params);
        w.Write(Counters.RankOneWrites); w.Write(Counters.TotalPulses); w.Write(Counters.ClippedPulses);
        foreach (var p in Counters.PulsesPerDevice) w.Write(p);
        _updateRandom.Save(w);
        w.Write(_reads);
        if (_persistent is not null) WriteFloats(w, _persistent);
        w.Write(PostUpdateSteps);
        w.Write(_writes);
        if (_transfer is not null)
        {
            _transfer.WriteState(w);
            _transfer.Fast.WriteState(w);
            _transfer.Slow.WriteState(w);
        }
        if (_pair is null) return;
        w.Write(_pair.Refreshes); w.Write(_pair.LastRefreshWrites);
        _pair.Plus.WriteState(w);
        _pair.Minus.WriteState(w);
    }

    private static CrossbarTile ReadPayload(BinaryReader r, IDeviceModel? customDevice)
    {
        int rows = r.ReadInt32(), cols = r.ReadInt32();
        ulong seed = r.ReadUInt64();
        if (rows < 1 || cols < 1 || (long)rows * cols > r.BaseStream.Length) throw new InvalidDataException($"Tile file has an impossible shape {rows} x {cols}.");
        var config = new TileConfig
        {
            Device = DeviceCodec.Read(r, customDevice),
            Update = ReadUpdate(r),
            Forward = ReadIO(r),
            Backward = ReadIO(r),
        };
        int parameters = r.ReadInt32();
        if (parameters != config.Device.ParametersPerDevice) throw new InvalidDataException($"Tile file has {parameters} parameters per device, the model needs {config.Device.ParametersPerDevice}.");
        var tile = new CrossbarTile(rows, cols, config, seed);
        tile.ReadState(r);
        return tile;
    }

    private void ReadState(BinaryReader r)
    {
        ReadFloats(r, _weights); ReadFloats(r, _wMin); ReadFloats(r, _wMax); ReadFloats(r, _params);
        int bad = Kernels.Blas.IndexOfNonFinite(_weights);
        if (bad >= 0) throw new InvalidDataException($"Tile file holds a non-finite weight ({_weights[bad]} at {bad}).");
        _weightBound = ExactWeightBound();
        RefreshDeviceArrays();
        var counters = new TileCounters(Rows * Cols) { RankOneWrites = r.ReadInt64(), TotalPulses = r.ReadInt64(), ClippedPulses = r.ReadInt64() };
        var perDevice = counters.PulsesPerDeviceArray;
        for (int k = 0; k < perDevice.Length; k++) perDevice[k] = r.ReadInt64();
        Counters.CopyFrom(counters);
        _updateRandom.Load(r);
        _reads = r.ReadUInt64();
        if (_persistent is not null) ReadFloats(r, _persistent);
        PostUpdateSteps = r.ReadInt64();
        _writes = r.ReadUInt64();
        if (_transfer is not null)
        {
            _transfer.ReadState(r);
            _transfer.Fast.ReadState(r);
            _transfer.Slow.ReadState(r);
        }
        if (_pair is null) return;
        _pair.Refreshes = r.ReadInt64(); _pair.LastRefreshWrites = r.ReadInt64();
        _pair.Plus.ReadState(r);
        _pair.Minus.ReadState(r);
    }

    internal static void WriteUpdate(BinaryWriter w, UpdateConfig u)
    {
        w.Write((byte)u.PulseType); w.Write(u.DesiredBl); w.Write(u.FixedBl); w.Write(u.UpdateBlManagement); w.Write(u.UpdateManagement); w.Write(u.UmGradScale);
    }

    internal static UpdateConfig ReadUpdate(BinaryReader r) => new()
    {
        PulseType = (PulseType)r.ReadByte(), DesiredBl = r.ReadInt32(), FixedBl = r.ReadBoolean(),
        UpdateBlManagement = r.ReadBoolean(), UpdateManagement = r.ReadBoolean(), UmGradScale = r.ReadSingle(),
    };

    internal static void WriteIO(BinaryWriter w, IOConfig io)
    {
        w.Write(io.IsPerfect); w.Write(io.InpRes); w.Write(io.InpBound); w.Write(io.OutRes); w.Write(io.OutBound);
        w.Write(io.OutNoise); w.Write(io.WNoise); w.Write((byte)io.NoiseManagement); w.Write((byte)io.BoundManagement); w.Write(io.MaxBmFactor);
        w.Write(io.MaxBmRes); w.Write(io.BmTestNegativeBound); w.Write(io.NmThres); w.Write(io.InpNoise); w.Write(io.BackwardBoundManagement);
    }

    internal static IOConfig ReadIO(BinaryReader r) => new()
    {
        IsPerfect = r.ReadBoolean(), InpRes = r.ReadSingle(), InpBound = r.ReadSingle(), OutRes = r.ReadSingle(), OutBound = r.ReadSingle(),
        OutNoise = r.ReadSingle(), WNoise = r.ReadSingle(), NoiseManagement = (NoiseManagement)r.ReadByte(),
        BoundManagement = (BoundManagement)r.ReadByte(), MaxBmFactor = r.ReadSingle(),
        MaxBmRes = r.ReadSingle(), BmTestNegativeBound = r.ReadBoolean(), NmThres = r.ReadSingle(), InpNoise = r.ReadSingle(), BackwardBoundManagement = r.ReadBoolean(),
    };

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void ReadFloats(BinaryReader r, float[] destination)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination.AsSpan());
        if (r.Read(bytes) != bytes.Length) throw new EndOfStreamException();
    }
}
