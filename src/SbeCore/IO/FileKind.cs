namespace SbeCore.IO;

/// <summary>What a path names, from stat(2) (<see cref="SafeFile.KindOf"/>).</summary>
public enum FileKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,
    /// <summary>A regular file: the only kind SbeCore reads or replaces.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (seen only when links are not followed).</summary>
    SymbolicLink,
    /// <summary>A FIFO (named pipe): opening it for reading blocks until a writer appears.</summary>
    Fifo,
    /// <summary>A character device such as /dev/zero or /dev/null.</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
    /// <summary>A Unix domain socket.</summary>
    Socket,
    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>Words for error messages.</summary>
public static class FileKindText
{
    /// <summary>"a directory", "a FIFO (named pipe)", ...: reads as "'{path}' is {Describe()}".</summary>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };
}
