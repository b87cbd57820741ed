using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.IO;
using SbeCore.Updates;

namespace SbeCore.Training;

// A checkpoint is a FramedFile ("SBENET\0\0"): the options the network was built from (architecture, sizes, rule,
// seed), CompletedEpochs, every tile as a whole tile file (weights, device state, counters, random streams) and every
// rule's evolving state. Load rebuilds the network from the options and restores the state into it, so training
// resumed from a checkpoint gives the same bits as training that never stopped.
public sealed partial class Network
{
    private static ReadOnlySpan<byte> CheckpointMagic => "SBENET\0\0"u8;

    /// <summary>Version of the checkpoint format written by <see cref="Save(string)"/>.</summary>
    public const uint CheckpointFormatVersion = 1;

    /// <summary>Largest checkpoint <see cref="Load(string)"/> reads (2 x 10^9 bytes, within one array); checked before anything is allocated.</summary>
    public const long MaxCheckpointBytes = 2_000_000_000;

    /// <summary>Epochs of training behind this network: <see cref="TrainEpoch"/> and <see cref="Trainer"/> count them,
    /// checkpoints keep them, and a resumed <see cref="Trainer"/> starts its data order after them.</summary>
    public int CompletedEpochs { get; set; }

    /// <summary>
    /// Saves the whole network atomically (a temporary file next to <paramref name="path"/>, renamed over it; only a
    /// regular file is replaced). <see cref="Load(string)"/> continues it bit-identically.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer's rule is not one of the built-in rules (a custom ruleFactory), or
    /// the network has per-layer ranks (<see cref="NetworkOptions.LayerRanks"/>).</exception>
    public void Save(string path)
    {
        SafeFile.SaveAtomically(path, SerializeCheckpoint, "network checkpoint");
    }

    /// <summary>Writes the checkpoint to <paramref name="stream"/> (see <see cref="Save(string)"/>).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(SerializeCheckpoint());
    }

    /// <summary>
    /// Loads a network saved by <see cref="Save(string)"/>. A truncated, corrupt or foreign file, or one over
    /// <see cref="MaxCheckpointBytes"/>, throws <see cref="InvalidDataException"/>; a directory, FIFO or device is refused
    /// with an IOException naming it.
    /// </summary>
    public static Network Load(string path) => Load(path, null);

    /// <summary>Loads a network whose tiles use your own device model <paramref name="customDevice"/> (see <see cref="Load(string)"/>).</summary>
    public static Network Load(string path, IDeviceModel? customDevice)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = SafeFile.ReadAllBytes(path, MaxCheckpointBytes, "network checkpoint");
        try { return Load(file, customDevice); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }

    /// <summary>Loads a network from the bytes of a checkpoint (see <see cref="Load(string)"/>).</summary>
    public static Network Load(ReadOnlySpan<byte> file) => Load(file, null);

    /// <summary>Loads a network from the bytes of a checkpoint whose tiles use <paramref name="customDevice"/>.</summary>
    public static Network Load(ReadOnlySpan<byte> file, IDeviceModel? customDevice)
    {
        var payload = FramedFile.Unframe(file, CheckpointMagic, CheckpointFormatVersion, "network checkpoint");
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload.ToArray(), writable: false));
            var options = NetworkOptionsCodec.Read(r);
            int epochs = r.ReadInt32();
            if (epochs < 0) throw new InvalidDataException($"Network checkpoint says {epochs} completed epochs.");
            var tiles = new CrossbarTile[ReadCount(r, "tiles")];
            for (int l = 0; l < tiles.Length; l++) tiles[l] = CrossbarTile.Load(ReadBlock(r, $"tile {l}"), customDevice);
            if (tiles.Length == 0) throw new InvalidDataException("Network checkpoint holds no tiles.");
            var network = new Network(new NetworkOptions
            {
                LayerSizes = options.LayerSizes, Activation = options.Activation, Method = options.Method, Rank = options.Rank,
                SubBatch = options.SubBatch, PublishedSchedule = options.PublishedSchedule, Estimator = options.Estimator,
                Architecture = options.Architecture, Seed = options.Seed, TileConfig = tiles[0].Config,
            }) { CompletedEpochs = epochs };
            if (tiles.Length != network.LayerCount)
                throw new InvalidDataException($"Network checkpoint holds {tiles.Length} tiles, its architecture has {network.LayerCount}.");
            for (int l = 0; l < tiles.Length; l++)
            {
                try { network._tiles[l].CopyStateFrom(tiles[l]); }
                catch (InvalidDataException e) { throw new InvalidDataException($"Network checkpoint layer {l}: {e.Message}", e); }
            }
            int rules = ReadCount(r, "rules");
            if (rules != network.LayerCount) throw new InvalidDataException($"Network checkpoint holds {rules} rule states for {network.LayerCount} layers.");
            for (int l = 0; l < rules; l++)
            {
                string name = r.ReadString();
                if (name != network._rules[l].Name)
                    throw new InvalidDataException($"Network checkpoint layer {l}: its rule is '{name}', the options build '{network._rules[l].Name}'.");
                using var state = new BinaryReader(new MemoryStream(ReadBlock(r, $"rule {l}"), writable: false));
                ((IRuleState)network._rules[l]).ReadState(state);
                if (state.BaseStream.Position != state.BaseStream.Length) throw new InvalidDataException($"Network checkpoint layer {l}: the rule state has unread bytes.");
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("Network checkpoint has unread bytes after the payload.");
            return network;
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("Network checkpoint payload ends early.", e); }
        catch (ArgumentException e) when (e.ParamName != "customDevice") { throw new InvalidDataException($"Network checkpoint holds invalid options: {e.Message}", e); }
    }

    /// <summary>
    /// Restores a checkpoint into this network, which must be built from the same options (architecture, sizes, rule,
    /// seed, device configuration): how a run resumes with the command line that started it. Everything is checked
    /// before anything changes; a mismatch throws <see cref="InvalidDataException"/> naming it.
    /// </summary>
    public void Restore(string path) => RestoreFrom(Load(path));

    /// <summary>Restores a checkpoint's bytes into this network (see <see cref="Restore(string)"/>).</summary>
    public void Restore(ReadOnlySpan<byte> file) => RestoreFrom(Load(file));

    private void RestoreFrom(Network saved)
    {
        if (!OptionBytes(saved.Options).AsSpan().SequenceEqual(OptionBytes(Options)))
            throw new InvalidDataException($"the checkpoint's network ({Describe(saved.Options)}) is not this one ({Describe(Options)}).");
        for (int l = 0; l < _tiles.Length; l++)
            if (!_tiles[l].SameDescription(saved._tiles[l]))
                throw new InvalidDataException($"the checkpoint's layer {l} tile has another seed or device configuration than this network's.");
        foreach (var rule in _rules)
            if (rule is not IRuleState) throw new NotSupportedException($"rule '{rule.Name}' is not a built-in rule; only networks built with NetworkOptions.Method can be restored.");
        for (int l = 0; l < _tiles.Length; l++)
        {
            _tiles[l].CopyStateFrom(saved._tiles[l]);
            var state = new MemoryStream();
            using (var w = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true)) ((IRuleState)saved._rules[l]).WriteState(w);
            state.Position = 0;
            using var r = new BinaryReader(state);
            ((IRuleState)_rules[l]).ReadState(r);
        }
        CompletedEpochs = saved.CompletedEpochs;
    }

    private static byte[] OptionBytes(NetworkOptions o)
    {
        var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true)) NetworkOptionsCodec.Write(w, o);
        return bytes.ToArray();
    }

    private static string Describe(NetworkOptions o)
        => $"{o.Architecture ?? string.Join('-', o.LayerSizes)} {o.Activation.ToString().ToLowerInvariant()}, {o.Method} rank {o.Estimator?.Rank ?? o.Rank}, seed {o.Seed}";

    private byte[] SerializeCheckpoint()
    {
        if (Options.LayerRanks is not null)
            throw new NotSupportedException("a network with per-layer ranks (NetworkOptions.LayerRanks) cannot be checkpointed: the checkpoint format keeps one rank.");
        foreach (var rule in _rules)
            if (rule is not IRuleState)
                throw new NotSupportedException($"rule '{rule.Name}' ({rule.GetType().Name}) is not a built-in rule; only networks built with NetworkOptions.Method can be checkpointed.");
        var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            NetworkOptionsCodec.Write(w, Options);
            w.Write(CompletedEpochs);
            w.Write(_tiles.Length);
            foreach (var tile in _tiles)
            {
                var bytes = new MemoryStream();
                tile.Save(bytes);
                WriteBlock(w, bytes);
            }
            w.Write(_rules.Length);
            foreach (var rule in _rules)
            {
                w.Write(rule.Name);
                var bytes = new MemoryStream();
                using (var rw = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true)) ((IRuleState)rule).WriteState(rw);
                WriteBlock(w, bytes);
            }
        }
        if (FramedFile.Overhead + payload.Length > MaxCheckpointBytes)
            throw new InvalidOperationException($"The checkpoint needs {FramedFile.Overhead + payload.Length:N0} bytes, more than the {MaxCheckpointBytes:N0}-byte limit Load reads; it is not saved.");
        var file = new MemoryStream();
        FramedFile.Write(file, CheckpointMagic, CheckpointFormatVersion, payload.GetBuffer().AsSpan(0, (int)payload.Length));
        return file.ToArray();
    }

    private static void WriteBlock(BinaryWriter w, MemoryStream block)
    {
        w.Write(block.Length);
        w.Write(block.GetBuffer().AsSpan(0, (int)block.Length));
    }

    private static byte[] ReadBlock(BinaryReader r, string what)
    {
        long length = r.ReadInt64();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"Network checkpoint: {what} announces {length} bytes, more than remain.");
        return r.ReadBytes((int)length);
    }

    private static int ReadCount(BinaryReader r, string what)
    {
        int count = r.ReadInt32();
        if (count < 0 || count > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"Network checkpoint announces {count} {what}.");
        return count;
    }
}
