using SbeCore.Devices;

namespace SbeCore.Crossbar;

/// <summary>
/// The two device arrays of a <see cref="OneSidedUnitCell"/>, each a tile of the cell's device model whose
/// update and forward configs are the cell's refresh settings, so the refresh write and read-out run through the
/// same pulsed-update and I/O code as any other tile.
/// </summary>
internal sealed class OneSidedPair
{
    private readonly OneSidedUnitCell _cell;
    private readonly float[] _identity;      // Cols x Cols: reading it out gives every column at once
    private readonly float[] _plusColumns;   // Cols x Rows read-out of g+
    private readonly float[] _minusColumns;  // Cols x Rows read-out of g-
    private readonly float[] _plusWrite;     // per-column refresh amounts
    private readonly float[] _minusWrite;
    private readonly float[] _unit;          // e_j

    public OneSidedPair(int rows, int cols, OneSidedUnitCell cell, ulong plusSeed, ulong minusSeed)
    {
        _cell = cell;
        var config = new TileConfig { Device = cell.Device, Update = cell.RefreshUpdate, Forward = cell.RefreshForward };
        Plus = new CrossbarTile(rows, cols, config, plusSeed);
        Minus = new CrossbarTile(rows, cols, config, minusSeed);
        Rows = rows; Cols = cols;
        if (cell.RefreshEvery > 0)
        {
            _identity = new float[checked(cols * cols)];
            for (int j = 0; j < cols; j++) _identity[j * cols + j] = 1f;
            _plusColumns = new float[checked(cols * rows)];
            _minusColumns = new float[_plusColumns.Length];
        }
        else _identity = _plusColumns = _minusColumns = [];
        _plusWrite = new float[rows];
        _minusWrite = new float[rows];
        _unit = new float[cols];
    }

    public int Rows { get; }
    public int Cols { get; }

    /// <summary>The device that raises the weight.</summary>
    public CrossbarTile Plus { get; }

    /// <summary>The device that lowers the weight.</summary>
    public CrossbarTile Minus { get; }

    /// <summary>Rank-1 writes at the last refresh check (refresh_every counted in writes).</summary>
    public long LastRefreshWrites { get; set; }

    /// <summary>Devices refreshed so far.</summary>
    public long Refreshes { get; set; }

    /// <summary>Visible bounds: [-w_max of g-, w_max of g+] per weight.</summary>
    public void VisibleBounds(float[] wMin, float[] wMax)
    {
        for (int k = 0; k < wMin.Length; k++) { wMin[k] = -Minus.MaxBounds[k]; wMax[k] = Plus.MaxBounds[k]; }
    }

    /// <summary>n pulses raising (direction &gt; 0) or lowering the weight k: up pulses on g+ or g-, drawn from the
    /// writing thread's row stream, summed into its context (added to each side's counters when the write ends).
    /// Returns the clipped pulses.</summary>
    public long ApplyPulses(int k, int n, int direction, float[] visible, PulseContext context)
    {
        bool up = direction > 0;
        long clipped = (up ? Plus : Minus).PulseDevice(k, n, +1, context);
        context.AddCellPulses(up ? 0 : 1, n, clipped);
        visible[k] = Plus.Weights[k] - Minus.Weights[k];
        return clipped;
    }

    /// <summary>Programs weight k to w (aihwkit's onSetWeights: g+ = max(w, 0), g- = max(-w, 0)); returns the visible weight.</summary>
    public float Program(int k, float w)
    {
        Plus.ProgramDevice(k, w > 0 ? w : 0f);
        Minus.ProgramDevice(k, w < 0 ? -w : 0f);
        return Plus.Weights[k] - Minus.Weights[k];
    }

    /// <summary>The end of an optimizer step: refresh if due, then both arrays' retention (decay, diffusion).</summary>
    public void PostUpdateStep(long steps, long rankOneWrites, float[] visible)
    {
        int every = _cell.RefreshEvery;
        bool due = every > 0 && (_cell.UnitsInMbatch ? steps % every == 0 : rankOneWrites / every != LastRefreshWrites / every);
        LastRefreshWrites = rankOneWrites;
        if (due) Refresh();
        Plus.PostUpdateStep();
        Minus.PostUpdateStep();
        var plus = Plus.Weights; var minus = Minus.Weights;
        for (int k = 0; k < visible.Length; k++) visible[k] = plus[k] - minus[k];
    }

    // aihwkit's refreshWeights: read both arrays column by column (here all columns in one batched read of the
    // identity), reset pairs past the thresholds and write their difference back to the larger side.
    private void Refresh()
    {
        Plus.Read(_identity, Cols, _plusColumns);
        Minus.Read(_identity, Cols, _minusColumns);
        float wMax = MathF.Abs(_cell.Device.WMax), wMin = wMax; // both devices share one parameter set
        float upper = _cell.RefreshUpperThres, lower = _cell.RefreshLowerThres;
        for (int j = 0; j < Cols; j++)
        {
            int plusCount = 0, minusCount = 0;
            for (int i = 0; i < Rows; i++)
            {
                float wp = _plusColumns[j * Rows + i], wm = _minusColumns[j * Rows + i];
                _plusWrite[i] = 0; _minusWrite[i] = 0;
                bool refresh = wp > wm ? wp / wMax > upper && wm / wMin > lower : wp / wMax > lower && wm / wMin > upper;
                if (!refresh) continue;
                if (wp > wm) { _plusWrite[i] = wp - wm; plusCount++; }
                else { _minusWrite[i] = wm - wp; minusCount++; }
                Plus.ResetDevice(i * Cols + j);
                Minus.ResetDevice(i * Cols + j);
            }
            if (plusCount + minusCount == 0) continue;
            _unit[j] = 1f;
            if (plusCount > 0) Plus.Update(-1f, _plusWrite, _unit);
            if (minusCount > 0) Minus.Update(-1f, _minusWrite, _unit);
            _unit[j] = 0f;
            Refreshes += plusCount + minusCount;
        }
    }
}
