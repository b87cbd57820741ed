using System.Runtime.InteropServices;

namespace SbeCore.Updates;

/// <summary>Reads and writes the pieces of <see cref="IRuleState"/>: counters and float arrays of known lengths,
/// checked (non-negative, finite) before a rule takes them.</summary>
internal static class RuleStateCodec
{
    public static long ReadCount(BinaryReader r)
    {
        long count = r.ReadInt64();
        if (count < 0) throw new InvalidDataException($"a rule's write counter is {count}; it cannot be negative.");
        return count;
    }

    public static void WriteFloats(BinaryWriter w, params float[][] arrays)
    {
        foreach (var a in arrays) w.Write(MemoryMarshal.AsBytes(a.AsSpan()));
    }

    /// <summary>Copies of arrays of the lengths of <paramref name="shapes"/>, read in order.</summary>
    public static float[][] ReadFloats(BinaryReader r, params float[][] shapes)
    {
        var result = new float[shapes.Length][];
        for (int i = 0; i < shapes.Length; i++)
        {
            var a = new float[shapes[i].Length];
            var bytes = MemoryMarshal.AsBytes(a.AsSpan());
            if (r.Read(bytes) != bytes.Length) throw new EndOfStreamException();
            if (Kernels.Blas.IndexOfNonFinite(a) >= 0) throw new InvalidDataException("a rule's state holds a non-finite value.");
            result[i] = a;
        }
        return result;
    }

    public static void CopyTo(float[][] values, params float[][] destinations)
    {
        for (int i = 0; i < destinations.Length; i++) values[i].CopyTo(destinations[i], 0);
    }
}
