namespace SbeCore.IO;

/// <summary>
/// Size products computed in checked 64-bit arithmetic against a cap, so a hostile header (e.g. 2^31 x 2^31 x 2^31)
/// can neither wrap to a small number nor make the caller allocate beyond the cap. Every size that comes from a file
/// or decides an allocation goes through here.
/// </summary>
public static class CheckedSize
{
    /// <summary>The product of <paramref name="factors"/> (each must be >= 0), or false if it overflows or exceeds <paramref name="cap"/>.</summary>
    public static bool TryProduct(ReadOnlySpan<long> factors, long cap, out long product)
    {
        product = 1;
        foreach (long f in factors)
        {
            if (f < 0) { product = -1; return false; }
            // f * product <= cap  <=>  product <= cap / f (integer division is exact for this test).
            if (f != 0 && product > cap / f) { product = -1; return false; }
            product *= f;
        }
        if (product > cap) { product = -1; return false; }
        return true;
    }

    /// <summary>a + b, or false if it overflows or exceeds <paramref name="cap"/> (both must be >= 0).</summary>
    public static bool TrySum(long a, long b, long cap, out long sum)
    {
        sum = -1;
        if (a < 0 || b < 0 || a > cap - b) return false;
        sum = a + b;
        return true;
    }
}
