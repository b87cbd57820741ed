using System.Buffers.Binary;
using System.IO.Compression;
using SbeCore.IO;

namespace SbeCore.Data;

/// <summary>
/// Reads the IDX format of MNIST-like data sets (big-endian header: two zero bytes, a type byte 0x08 = unsigned byte,
/// the number of dimensions, one 32-bit size per dimension, then the data). Files may be gzipped or raw; gzip is
/// detected by its magic bytes 1f 8b, not by the file name. The sizes in the header must multiply (in checked
/// arithmetic) exactly to the payload, which may be at most <see cref="MaxPayloadBytes"/>; a gzip stream is inflated
/// only as far as the header promises, so a small file that inflates to gigabytes is refused after reading the promise.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;
    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;
    /// <summary>Largest payload (count x rows x cols bytes) accepted: 1 GiB, a quarter of it as floats in memory is 4 GiB.</summary>
    public const long MaxPayloadBytes = 1L << 30;
    /// <summary>Largest file accepted on disk (raw or gzipped): the payload cap plus room for a header.</summary>
    public const long MaxFileBytes = MaxPayloadBytes + 4096;

    /// <summary>Reads an image file: returns the count, rows, columns and the raw pixel bytes (count x rows x cols).</summary>
    /// <exception cref="InvalidDataException">Wrong magic, impossible sizes, a truncated or overlong file.</exception>
    /// <exception cref="IOException">The path is not a regular file.</exception>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(string path)
    {
        using var stream = OpenMaybeGzip(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads an image file from a stream (already inflated if it was gzipped); <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, impossible sizes, a truncated or overlong stream.</exception>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(Stream stream, string name)
    {
        string path = name;
        var (dims, payload) = Read(stream, path, ImagesMagic, "image", 3);
        if (dims[1] < 1 || dims[2] < 1)
            throw new InvalidDataException($"'{path}' has an invalid IDX header: count {dims[0]}, rows {dims[1]}, cols {dims[2]}.");
        return (dims[0], dims[1], dims[2], payload);
    }

    /// <summary>Reads a label file: returns the labels (one byte each).</summary>
    /// <exception cref="InvalidDataException">Wrong magic, impossible sizes, a truncated or overlong file.</exception>
    /// <exception cref="IOException">The path is not a regular file.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var stream = OpenMaybeGzip(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads a label file from a stream (already inflated if it was gzipped); <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, impossible sizes, a truncated or overlong stream.</exception>
    public static byte[] ReadLabels(Stream stream, string name) => Read(stream, name, LabelsMagic, "label", 1).Payload;

    /// <summary>Reads a whole regular file of at most <see cref="MaxFileBytes"/>, inflating it (to at most <see cref="MaxFileBytes"/>) if it starts with the gzip magic 1f 8b.</summary>
    /// <exception cref="InvalidDataException">A gzip stream that is corrupt, cut short or inflates beyond the cap.</exception>
    public static byte[] ReadAllBytesMaybeGzip(string path)
    {
        using var stream = OpenMaybeGzip(path);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = Guard(path, () => stream.Read(buffer))) > 0)
        {
            if (output.Length + n > MaxFileBytes) throw new InvalidDataException($"'{path}' inflates to more than {MaxFileBytes:N0} bytes.");
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    // Header, checked size, exactly that many payload bytes, then end of file.
    private static (int[] Dims, byte[] Payload) Read(Stream stream, string path, int magic, string kind, int dimensions)
    {
        var header = new byte[4 + 4 * dimensions];
        int got = ReadUpTo(path, stream, header);
        if (got < 4) throw new InvalidDataException($"'{path}' is truncated: {got} bytes, too short for an IDX header.");
        int actualMagic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (actualMagic != magic)
            throw new InvalidDataException($"'{path}' is not an IDX {kind} file: magic 0x{actualMagic:X8}, expected 0x{magic:X8}.");
        if (got < header.Length) throw new InvalidDataException($"'{path}' is truncated: {got} bytes, too short for an IDX header.");
        var dims = new int[dimensions];
        var factors = new long[dimensions];
        for (int d = 0; d < dimensions; d++) factors[d] = dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * d));
        string sizes = string.Join(" x ", dims);
        if (dims.Any(v => v < 0))
            throw new InvalidDataException($"'{path}' has an invalid IDX header: negative size in {sizes}.");
        if (!CheckedSize.TryProduct(factors, MaxPayloadBytes, out long length))
            throw new InvalidDataException($"'{path}' has an IDX header of {sizes} bytes, more than the {MaxPayloadBytes:N0}-byte limit (or not representable).");
        var payload = new byte[length];
        got = ReadUpTo(path, stream, payload);
        if (got < length)
            throw new InvalidDataException($"'{path}' is truncated: the header promises {header.Length + length} bytes ({sizes}), the file holds {header.Length + got}.");
        if (Guard(path, stream.ReadByte) >= 0)
            throw new InvalidDataException($"'{path}' is longer than its IDX header promises ({sizes} = {length:N0} payload bytes).");
        return (dims, payload);
    }

    private static Stream OpenMaybeGzip(string path)
    {
        var file = SafeFile.OpenRead(path, MaxFileBytes, "IDX file");
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int n = file.Read(magic);
            if (n == 1) n += file.Read(magic[1..]);
            file.Position = 0;
            if (n < 2 || magic[0] != 0x1f || magic[1] != 0x8b) return new BufferedStream(file, 1 << 16);
            return new GZipStream(new BufferedStream(file, 1 << 16), CompressionMode.Decompress);
        }
        catch { file.Dispose(); throw; }
    }

    // Reads until the buffer is full or the stream ends; returns the bytes read.
    private static int ReadUpTo(string path, Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n;
            try { n = stream.Read(buffer[total..]); }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException) { throw Corrupt(path, e); }
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static int Guard(string path, Func<int> read)
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException) { throw Corrupt(path, e); }
    }

    private static InvalidDataException Corrupt(string path, Exception e)
        => new($"'{path}' is a corrupt or truncated gzip file: {e.Message}", e);
}
