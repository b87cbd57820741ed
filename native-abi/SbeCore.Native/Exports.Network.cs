namespace SbeCore.Native;

// Network exports arrive with the trainer API (branch training).
internal static partial class Exports
{
    private static int NetworkCount() => 0;
}
