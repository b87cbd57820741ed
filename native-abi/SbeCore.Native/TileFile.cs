using SbeCore.Crossbar;

namespace SbeCore.Native;

/// <summary>
/// The tile file format of the C ABI: magic "SBETILE1", int32 rows, int32 cols, int64 rank-1 writes,
/// rows * cols float32 weights, little-endian. Written to a temporary file and renamed so a failed save
/// never leaves a truncated file under the target name.
/// </summary>
internal static class TileFile
{
    private static ReadOnlySpan<byte> Magic => "SBETILE1"u8;

    public static void Save(CrossbarTile tile, string path)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(tile.Rows);
            writer.Write(tile.Cols);
            writer.Write(tile.Counters.RankOneWrites);
            foreach (float w in tile.Weights) writer.Write(w);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static CrossbarTile Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        using var reader = new BinaryReader(stream);
        Span<byte> magic = stackalloc byte[8];
        if (reader.Read(magic) != 8 || !magic.SequenceEqual(Magic)) throw new IOException($"'{path}' is not an SbeCore tile file.");
        int rows = reader.ReadInt32(), cols = reader.ReadInt32();
        long writes = reader.ReadInt64();
        if (rows < 1 || cols < 1 || (long)rows * cols > Args.MaxElements || writes < 0)
            throw new IOException($"'{path}' has an invalid header (rows {rows}, cols {cols}, writes {writes}).");
        long expected = 24 + 4L * rows * cols;
        if (stream.Length != expected) throw new IOException($"'{path}' has {stream.Length} bytes; a {rows} x {cols} tile file has {expected}.");
        var weights = new float[rows * cols];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = reader.ReadSingle();
            if (!float.IsFinite(weights[i])) throw new IOException($"'{path}' holds a non-finite weight at index {i}.");
        }
        var tile = new CrossbarTile(rows, cols);
        tile.SetWeights(weights);
        tile.Counters.RankOneWrites = writes;
        return tile;
    }
}
