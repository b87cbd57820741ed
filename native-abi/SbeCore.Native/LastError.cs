using System.Text;

namespace SbeCore.Native;

/// <summary>The per-thread message of the last failed call, and the exception-to-status mapping used at every export.</summary>
internal static class LastError
{
    [ThreadStatic] private static string? t_message;

    public static string Message => t_message ?? "";

    public static void Clear() => t_message = null;

    /// <summary>Records the failure and returns its status; never throws (it runs inside every export's catch).</summary>
    public static int Fail(Exception e)
    {
        try
        {
            SbeStatus status = e switch
            {
                SbeException s => s.Status,
                ArgumentNullException => SbeStatus.NullPointer,
                ArgumentException => SbeStatus.InvalidArgument,
                OutOfMemoryException => SbeStatus.OutOfMemory,
                IOException or InvalidDataException or UnauthorizedAccessException => SbeStatus.Io,
                NotSupportedException => SbeStatus.NotSupported,
                InvalidOperationException => SbeStatus.InvalidState,
                _ => SbeStatus.Internal,
            };
            t_message = status == SbeStatus.Internal ? $"{e.GetType().Name}: {e.Message}" : e.Message;
            return (int)status;
        }
        catch
        {
            return (int)SbeStatus.Internal;
        }
    }

    /// <summary>Copies the message as NUL-terminated UTF-8, truncated to cap - 1 bytes on a character boundary; returns
    /// the full length in bytes. Every capacity >= 1 gets its terminator (cap 1: just the terminator).</summary>
    public static unsafe int CopyTo(byte* buffer, nuint capacity)
    {
        string message = Message;
        int needed = Encoding.UTF8.GetByteCount(message);
        if (buffer == null || capacity == 0) return needed;
        int room = (int)Math.Min(capacity - 1, (nuint)(int.MaxValue - 1));
        var destination = new Span<byte>(buffer, room + 1);
        destination[CopyWholeRunes(message, destination[..room])] = 0;
        return needed;
    }

    // Rune by rune, so a truncated copy never splits a character and no capacity is "too small" (the encoder's
    // Convert throws when not even one character fits).
    private static int CopyWholeRunes(string message, Span<byte> destination)
    {
        int written = 0;
        foreach (var rune in message.EnumerateRunes())
        {
            if (rune.Utf8SequenceLength > destination.Length - written) break;
            written += rune.EncodeToUtf8(destination[written..]);
        }
        return written;
    }
}
