using System.Buffers.Binary;
using System.IO.Compression;

namespace SbeCore.Data;

/// <summary>
/// Reads the IDX format of MNIST-like data sets (big-endian header: two zero bytes, a type byte 0x08 = unsigned byte,
/// the number of dimensions, one 32-bit size per dimension, then the data). Files may be gzipped or raw; gzip is
/// detected by its magic bytes 1f 8b, not by the file name.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;
    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file: returns the count, rows, columns and the raw pixel bytes (count x rows x cols).</summary>
    /// <exception cref="InvalidDataException">Wrong magic, impossible sizes, or a truncated file.</exception>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(string path)
    {
        byte[] bytes = ReadAllBytesMaybeGzip(path);
        int magic = ReadHeaderInt(bytes, 0, path);
        if (magic != ImagesMagic)
            throw new InvalidDataException($"'{path}' is not an IDX image file: magic 0x{magic:X8}, expected 0x{ImagesMagic:X8}.");
        int count = ReadHeaderInt(bytes, 4, path), rows = ReadHeaderInt(bytes, 8, path), cols = ReadHeaderInt(bytes, 12, path);
        if (count < 0 || rows < 1 || cols < 1)
            throw new InvalidDataException($"'{path}' has an invalid IDX header: count {count}, rows {rows}, cols {cols}.");
        long expected = 16L + (long)count * rows * cols;
        if (bytes.Length < expected)
            throw new InvalidDataException($"'{path}' is truncated: {bytes.Length} bytes, the header promises {expected} ({count} images of {rows}x{cols}).");
        return (count, rows, cols, bytes.AsSpan(16, (int)(expected - 16)).ToArray());
    }

    /// <summary>Reads a label file: returns the labels (one byte each).</summary>
    /// <exception cref="InvalidDataException">Wrong magic, impossible sizes, or a truncated file.</exception>
    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = ReadAllBytesMaybeGzip(path);
        int magic = ReadHeaderInt(bytes, 0, path);
        if (magic != LabelsMagic)
            throw new InvalidDataException($"'{path}' is not an IDX label file: magic 0x{magic:X8}, expected 0x{LabelsMagic:X8}.");
        int count = ReadHeaderInt(bytes, 4, path);
        if (count < 0) throw new InvalidDataException($"'{path}' has an invalid IDX header: count {count}.");
        if (bytes.Length < 8L + count)
            throw new InvalidDataException($"'{path}' is truncated: {bytes.Length} bytes, the header promises {8L + count} ({count} labels).");
        return bytes.AsSpan(8, count).ToArray();
    }

    /// <summary>Reads a whole file, inflating it if it starts with the gzip magic 1f 8b.</summary>
    /// <exception cref="InvalidDataException">A gzip stream that is corrupt or cut short.</exception>
    public static byte[] ReadAllBytesMaybeGzip(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        try
        {
            using var gz = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 4);
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is a corrupt or truncated gzip file: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' is a truncated gzip file.", e);
        }
    }

    private static int ReadHeaderInt(byte[] bytes, int offset, string path)
    {
        if (bytes.Length < offset + 4)
            throw new InvalidDataException($"'{path}' is truncated: {bytes.Length} bytes, too short for an IDX header.");
        return BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset, 4));
    }
}
