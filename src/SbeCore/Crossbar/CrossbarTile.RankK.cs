namespace SbeCore.Crossbar;

// k rank-1 writes W -= lr s_c d_c x_c^T, c = 0..k-1, with the bits of k writes one after another. A pulsed tile prepares
// up to PulseTuning.WritesPerPass of them (everything that does not depend on the weights) and runs them block by block
// of rows (CrossbarTile.PulseRows.cs), so the tile's device state goes through memory once per pass, not once per write.
public sealed partial class CrossbarTile
{
    /// <summary>Tests and tuning: rank-1 writes prepared and run together (<see cref="PulseTuning.WritesPerPass"/>; 1 runs
    /// them one by one). The bits do not depend on it.</summary>
    internal int WritesPerPass
    {
        get => _writesPerPass;
        set
        {
            if (value < 1) throw new ArgumentException($"WritesPerPass is {value}; it must be at least 1.", nameof(value));
            _writesPerPass = value;
        }
    }
    private int _writesPerPass = PulseTuning.WritesPerPass;

    private float[] _exactScales = []; // -lr s[c] of an ideal device's rank-k write (grows to the largest k)

    private void WriteRankK(float lr, ReadOnlySpan<float> s, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        int k = s.Length;
        if (_isIdeal && k > 1)
        {
            // An ideal device's k exact writes in one pass over W (Blas.RankK adds the terms element by element in
            // order: the bits of the k Ger calls), split by rows; a conv layer's SGD batch is 56,000 of them on LeNet-5.
            if (_exactScales.Length < k) _exactScales = new float[k];
            for (int c = 0; c < k; c++) _exactScales[c] = -(lr * s[c]);
            Threaded.RankK(d, _exactScales.AsSpan(0, k), x, _weights, Rows, Cols, Cols, _threads);
            Counters.RankOneWrites += k; // an ideal device has no transfer to follow the writes
            return;
        }
        if (_isIdeal || Config.Update.PulseType == PulseType.None)
        {
            for (int c = 0; c < k; c++)
            {
                ApplyExactRankOne(lr * s[c], d.Slice(c * Rows, Rows), x.Slice(c * Cols, Cols));
                AfterRankOneWrite();
            }
            return;
        }
        for (int c0 = 0; c0 < k;)
        {
            // A transfer compound's transfer reads and writes the whole fast array: a pass ends at the write it follows.
            int m = Math.Min(k - c0, _writesPerPass);
            if (_transfer is not null) m = _transfer.WritesUntilTransfer(m);
            EnsurePass(m);
            long visits = 0;
            for (int c = 0; c < m; c++)
            {
                int at = c0 + c;
                PreparePulsedWrite(_pass[c], PulseCountLearningRate(lr * s[at]), d.Slice(at * Rows, Rows), x.Slice(at * Cols, Cols));
                visits += Visits(_pass[c]);
            }
            if (visits > 0) RunRows(m, visits);
            for (int c = 0; c < m; c++) AfterRankOneWrite();
            c0 += m;
        }
    }

    private void AfterRankOneWrite()
    {
        Counters.RankOneWrites++;
        _transfer?.AfterWrites(1, _weights);
    }
}
