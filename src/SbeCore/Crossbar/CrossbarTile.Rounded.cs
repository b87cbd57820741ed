namespace SbeCore.Crossbar;

// ImplicitStochasticRound: each device of a rank-1 write gets its expected coincidence count BL p_x p_d, rounded
// stochastically, so small counts survive on average (round to nearest drops every count below 1/2).
public sealed partial class CrossbarTile
{
    private void RoundedRows(PulseContext c)
    {
        int bl = _bl;
        for (int i = c.First; i < c.End; i++)
        {
            float pd = _rowProbability[i];
            if (pd == 0) continue;
            EnterRow(c, i, 0);
            int rowDir = _rowDirection[i];
            int row = i * Cols;
            for (int j = 0; j < Cols; j++)
            {
                float px = _colProbability[j];
                if (px == 0) continue;
                int n = StochasticCount(bl, px, pd, c.Random.NextUniform());
                if (n != 0) ApplyPulses(row + j, n, rowDir * _colSign[j], c);
            }
        }
    }

    /// <summary>floor(BL p_x p_d) plus 1 when <paramref name="uniform"/> (in [0, 1)) is below the fractional part, in double.</summary>
    internal static int StochasticCount(int bl, float px, float pd, double uniform)
    {
        double count = (double)bl * px * pd;
        double whole = Math.Floor(count);
        return (int)whole + (uniform < count - whole ? 1 : 0);
    }
}
