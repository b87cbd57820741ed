using System.Buffers.Binary;
using System.Numerics;
using FsCheck.Xunit;
using SbeCore.Data;

namespace SbeCore.PropertyTests.Data;

/// <summary>IDX header fuzzing: any header is accepted exactly when its sizes multiply (exactly, no wrapping) to the payload.</summary>
public class IdxHeaderProperties
{
    // Small sizes and the ones that wrap 32- or 64-bit products.
    private static readonly int[] s_sizes = [0, 1, 2, 3, 7, 28, 255, 65535, 65536, 1 << 20, 1 << 30, int.MaxValue, -1, int.MinValue];

    [Property(MaxTest = 300)]
    public bool AHeaderIsAcceptedExactlyWhenItsSizesMultiplyToThePayload(byte a, byte b, byte c, sbyte lengthError, byte payloadLength)
    {
        int count = s_sizes[a % s_sizes.Length], rows = s_sizes[b % s_sizes.Length], cols = s_sizes[c % s_sizes.Length];
        BigInteger exact = (BigInteger)count * rows * cols;
        // Near the true size when it is small, otherwise a short payload a wrapped product could match.
        long length = exact >= 0 && exact <= 4096 ? Math.Max(0, (long)exact + lengthError % 3) : payloadLength;
        var file = new byte[16 + length];
        BinaryPrimitives.WriteInt32BigEndian(file, IdxReader.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(12), cols);
        string path = Path.Combine(Path.GetTempPath(), $"sbe-idx-prop-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, file);
        try
        {
            bool valid = count >= 0 && rows >= 1 && cols >= 1 && exact == length;
            try
            {
                var r = IdxReader.ReadImages(path);
                return valid && r.Pixels.Length == length && (r.Count, r.Rows, r.Cols) == (count, rows, cols);
            }
            catch (InvalidDataException e) { return !valid && e.Message.Contains(path, StringComparison.Ordinal); }
        }
        finally { File.Delete(path); }
    }
}
