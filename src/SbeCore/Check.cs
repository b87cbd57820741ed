using System.Runtime.CompilerServices;

namespace SbeCore;

/// <summary>Argument checks that throw the library's one exception type for a bad value, <see cref="ArgumentException"/>
/// (docs/architecture.md, "Errors"), with a message naming the argument and its value.</summary>
internal static class Check
{
    /// <summary>Throws unless <paramref name="value"/> &gt;= <paramref name="min"/>.</summary>
    public static void AtLeast(long value, long min, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < min) throw new ArgumentException($"{name} is {value}; it must be >= {min}.", name);
    }

    /// <summary>Throws unless 0 &lt;= <paramref name="index"/> &lt; <paramref name="count"/>.</summary>
    public static void Index(long index, long count, [CallerArgumentExpression(nameof(index))] string name = "")
    {
        if (index < 0 || index >= count) throw new ArgumentException($"{name} is {index}; it must be in 0..{count - 1}.", name);
    }
}
