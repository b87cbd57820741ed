namespace SbeCore.Native;

// Tile exports for what happens between writes (decay, diffusion, a unit cell's refresh).
internal static unsafe partial class Exports
{
    /// <summary>sbe_tile_post_update_step: call once per optimizer step after its writes, as aihwkit's optimizer does.</summary>
    [System.Runtime.InteropServices.UnmanagedCallersOnly(EntryPoint = "sbe_tile_post_update_step")]
    public static int TilePostUpdateStep(nint tile)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            t.PostUpdateStep();
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}
