using System.Runtime.InteropServices;

namespace SbeCore.Native;

// Threads a tile's (or every tile of a network's) writes, reads and gradients may split over: the same bits for every
// value, since every random number is keyed by what it belongs to (docs/crossbar.md, "Randomness").
internal static unsafe partial class Exports
{
    /// <summary>sbe_tile_set_threads: 1 to 64.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_set_threads")]
    public static int TileSetThreads(nint tile, uint threads)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            t.Threads = ThreadCount(threads);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_get_threads.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_get_threads")]
    public static int TileGetThreads(nint tile, uint* threads)
    {
        try
        {
            Args.NotNull(threads, "threads");
            using var lease = Tiles.Use(tile, "tile", out var t);
            *threads = (uint)t.Threads;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_set_threads: every tile of the network, 1 to 64.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_set_threads")]
    public static int NetworkSetThreads(nint network, uint threads)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var n);
            n.Threads = ThreadCount(threads);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_get_threads.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_get_threads")]
    public static int NetworkGetThreads(nint network, uint* threads)
    {
        try
        {
            Args.NotNull(threads, "threads");
            using var lease = Networks.Use(network, "network", out var n);
            *threads = (uint)n.Threads;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    // The library refuses counts outside 1 to 64 (CrossbarTile.CheckThreads); larger uints stay out of range as ints.
    private static int ThreadCount(uint threads) => (int)Math.Min(threads, int.MaxValue);
}
