using System.Runtime.InteropServices;

namespace SbeCore.Native;

// The mini-batch write for hosts that keep their own gradient buffer (e.g. sbecore.torch's minibatch rule).
internal static unsafe partial class Exports
{
    /// <summary>sbe_tile_write_dense: W -= learning_rate * g (g: rows x cols), element-wise as a mini-batch buffer
    /// applies it; counts rank_one_equivalent rank-1 writes (ABI 1.3).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_write_dense")]
    public static int TileWriteDense(nint tile, float learningRate, float* g, nuint gLen, ulong rankOneEquivalent)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            Args.Finite(learningRate, "learning_rate");
            int length = Args.Product(t.Rows, t.Cols, "the tile");
            Args.Length(gLen, length, "g_len", "rows * cols");
            if (rankOneEquivalent > int.MaxValue) throw new SbeException(SbeStatus.InvalidArgument, $"rank_one_equivalent is {rankOneEquivalent}; at most {int.MaxValue}.");
            var gs = Args.In(g, length, "g");
            Args.Finite(gs, "g");
            t.UpdateDense(learningRate, gs, (long)rankOneEquivalent);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}
