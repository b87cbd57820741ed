using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SbeCore.IO;

// stat(2) and a non-blocking open(2): .NET cannot tell a FIFO or a device from a regular file, and its open of a FIFO
// blocks until a writer appears. stat goes through the runtime's own portable shim (System.Native, linked statically
// into NativeAOT builds), whose FileStatus starts {int Flags; int Mode; uint Uid; uint Gid; long Size; ...} on every Unix.
internal static unsafe partial class PosixFiles
{
    private const int StatusBytes = 512; // room for the shim's FileStatus (about 130 bytes) in any .NET version
    private const int ModeOffset = 4, SizeOffset = 16;

    /// <summary>True where stat and the non-blocking open are available (Linux, macOS).</summary>
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte* status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, byte* status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static partial int FStat(SafeFileHandle handle, byte* status);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    /// <summary>Kind and size of <paramref name="path"/> (following links unless <paramref name="followLinks"/> is false); errno on failure.</summary>
    public static (FileKind Kind, long Size, int Errno) Query(string path, bool followLinks)
    {
        byte* status = stackalloc byte[StatusBytes];
        int r = followLinks ? Stat(path, status) : LStat(path, status);
        return r == 0 ? Decode(status) : (FileKind.Missing, 0, Marshal.GetLastPInvokeError());
    }

    /// <summary>Kind and size of an open file.</summary>
    public static (FileKind Kind, long Size) Query(SafeFileHandle handle)
    {
        byte* status = stackalloc byte[StatusBytes];
        if (FStat(handle, status) != 0) throw new IOException($"fstat failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        var (kind, size, _) = Decode(status);
        return (kind, size);
    }

    /// <summary>Opens for reading with O_NONBLOCK (a FIFO without a writer cannot hang the open) and O_NOCTTY; -1 and errno on failure.</summary>
    public static (SafeFileHandle? Handle, int Errno) OpenReadNonBlocking(string path)
    {
        // O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC
        int flags = OperatingSystem.IsMacOS() ? 0x20000 | 0x4 | 0x1000000 : 0x100 | 0x800 | 0x80000;
        int fd = Open(path, flags);
        return fd < 0 ? (null, Marshal.GetLastPInvokeError()) : (new SafeFileHandle(fd, ownsHandle: true), 0);
    }

    private static (FileKind, long, int) Decode(byte* status)
    {
        int mode = *(int*)(status + ModeOffset);
        long size = *(long*)(status + SizeOffset);
        var kind = (mode & 0xF000) switch // the shim's S_IFMT values are the same on every platform
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return (kind, size, 0);
    }
}
