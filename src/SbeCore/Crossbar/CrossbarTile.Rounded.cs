namespace SbeCore.Crossbar;

// ImplicitStochasticRound (the row loop is CrossbarTile.Pulsed's ImplicitRows): each device of a rank-1 write gets its expected coincidence count BL p_x p_d, rounded
// stochastically, so small counts survive on average (round to nearest drops every count below 1/2).
public sealed partial class CrossbarTile
{
    /// <summary>floor(BL p_x p_d) plus 1 when <paramref name="uniform"/> (in [0, 1)) is below the fractional part, in double.</summary>
    internal static int StochasticCount(int bl, float px, float pd, double uniform)
    {
        double count = (double)bl * px * pd;
        double whole = Math.Floor(count);
        return (int)whole + (uniform < count - whole ? 1 : 0);
    }
}
