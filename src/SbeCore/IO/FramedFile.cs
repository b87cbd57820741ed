using SbeCore.Numerics;

namespace SbeCore.IO;

/// <summary>
/// The frame of SbeCore's binary files: 8 magic bytes, u32 format version, u64 payload length, the payload, u32 CRC-32
/// of the payload (little-endian). Unframe checks all of it before the payload is parsed, so a truncated, padded,
/// corrupt or foreign file is refused with an <see cref="InvalidDataException"/> naming what it is not.
/// </summary>
internal static class FramedFile
{
    private const int HeaderLength = 8 + 4 + 8;

    /// <summary>Bytes of the frame around a payload.</summary>
    public const int Overhead = HeaderLength + 4;

    public static void Write(Stream destination, ReadOnlySpan<byte> magic, uint version, ReadOnlySpan<byte> payload)
    {
        using var w = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(magic);
        w.Write(version);
        w.Write((ulong)payload.Length);
        w.Write(payload);
        w.Write(Crc32.Compute(payload));
    }

    /// <summary>The payload of <paramref name="file"/>; <paramref name="what"/> names the kind in errors ("tile file").</summary>
    public static ReadOnlySpan<byte> Unframe(ReadOnlySpan<byte> file, ReadOnlySpan<byte> magic, uint version, string what)
    {
        string What = char.ToUpperInvariant(what[0]) + what[1..];
        if (file.Length < Overhead) throw new InvalidDataException($"Not a {what}: {file.Length} bytes is shorter than the {Overhead}-byte frame.");
        if (!file.Slice(0, 8).SequenceEqual(magic)) throw new InvalidDataException($"Not a {what}: the magic bytes '{System.Text.Encoding.ASCII.GetString(magic).TrimEnd('\0')}' are missing.");
        uint found = BitConverter.ToUInt32(file.Slice(8, 4));
        if (found != version) throw new InvalidDataException($"{What} format version {found} is not supported (this build reads version {version}).");
        ulong length = BitConverter.ToUInt64(file.Slice(12, 8));
        if (length != (ulong)(file.Length - Overhead))
            throw new InvalidDataException($"{What} is truncated or padded: the header announces {length} payload bytes, the file holds {file.Length - Overhead}.");
        var payload = file.Slice(HeaderLength, (int)length);
        uint stored = BitConverter.ToUInt32(file.Slice(HeaderLength + (int)length, 4));
        uint actual = Crc32.Compute(payload);
        if (stored != actual) throw new InvalidDataException($"{What} is corrupt: CRC-32 is 0x{actual:X8}, the file says 0x{stored:X8}.");
        return payload;
    }
}
