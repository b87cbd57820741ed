// How big SBE's rank-1 writes are in pulses, and what the write remedies of docs/results.md section 10 do.
// usage: WriteProbe DEVICE RANK_HIDDEN RANK_OUTPUT BATCH LR EPOCHS SEED [MODE] [BL]
//   MODE: paper (the sbe rule's own write), clip (a write needing more than BL pulses at its largest entry is scaled
//   down to BL: direction kept), split (it becomes ceil(k / BL) writes of s / that many: more rank-1 writes), dense
//   (the rank-1 write delivered like mini-batch's dense write: each device's |lr s d_i x_j| / dw_min pulses rounded
//   stochastically, at most BL), minibatch (mini-batch's dense write instead of the sbe rule, for comparison: no k);
//   BL overrides the device's desired_bl.
// Prints the test accuracy, training loss and rank-1 writes, and per layer the distribution of
// k = |lr s| max|d| max|x| / dw_min, the pulses the largest entry of a write asks for (BL caps what one write delivers),
// the share of weights one write changes (a batch's write: all k components), the pulses and refreshes per weight over
// the run, and how much of what the writes moved the run kept: the sum over writes of |change| against |end - start|.
using SbeCore.Crossbar;
using SbeCore.Data;
using SbeCore.Eigen;
using SbeCore.Experiments;
using SbeCore.Training;
using SbeCore.Updates;

var a = args;
if (a.Length < 7) { Console.Error.WriteLine("usage: WriteProbe DEVICE RANK_HIDDEN RANK_OUTPUT BATCH LR EPOCHS SEED [paper|clip|split|dense|minibatch] [BL]"); return 2; }
string device = a[0];
int rankHidden = int.Parse(a[1]), rankOutput = int.Parse(a[2]), batch = int.Parse(a[3]);
float lr = float.Parse(a[4], System.Globalization.CultureInfo.InvariantCulture);
int epochs = int.Parse(a[5]);
ulong seed = ulong.Parse(a[6]);
string mode = a.Length > 7 ? a[7] : "paper";
if (mode is not ("paper" or "clip" or "split" or "dense" or "minibatch")) { Console.Error.WriteLine($"unknown mode '{mode}'"); return 2; }
var tile = DeviceCatalog.Create(device);
if (a.Length > 8) tile = tile with { Update = tile.Update with { DesiredBl = int.Parse(a[8]) } };
var data = DataLoader.LoadDefault();
var probes = new List<WriteSizes>();
var options = new NetworkOptions { LayerSizes = [784, 100, 10], Method = UpdateMethod.Sbe, TileConfig = tile, Seed = seed };
var network = new Network(options, (layer, rows, cols) =>
{
    var rule = new SbeRule(rows, cols, new EstimatorOptions { Rank = Math.Min(layer == 0 ? rankHidden : rankOutput, Math.Min(rows, cols)) }, Network.RuleSeed(seed, layer));
    var probe = new WriteSizes(rule, mode == "minibatch" ? new MiniBatchRule(rows, cols) : null, tile.Device.WeightGranularity, mode);
    probes.Add(probe);
    return probe;
});
var schedule = new TrainingSchedule { Epochs = epochs, BatchSize = batch, LearningRate = lr, ShuffleSeed = seed, EvaluationsPerEpoch = 1 };
var final = new Trainer(network, data.Train, data.Test, schedule).Run().Final!;
Console.WriteLine($"test {final.TestAccuracy:F4} loss {final.TrainLoss:F4} writes {network.RankOneWrites}");
for (int l = 0; l < probes.Count; l++)
{
    var p = probes[l];
    var k = p.K.Order().ToArray();
    int bl = tile.Update.DesiredBl;
    if (k.Length > 0)
        Console.WriteLine($"layer {l}: k p10 {k[k.Length / 10]:F2} median {k[k.Length / 2]:F2} p90 {k[k.Length * 9 / 10]:F2} max {k[^1]:F2}; above BL {k.Count(v => v > bl) / (double)k.Length:P1}, below 1 {k.Count(v => v < 1) / (double)k.Length:P1}");
    var m = p.Moved.Order().ToArray();
    var t = p.Tile!;
    double weights = (double)t.Rows * t.Cols;
    Console.WriteLine($"layer {l}: weights changed per write p10 {m[m.Length / 10]:P1} median {m[m.Length / 2]:P1} p90 {m[m.Length * 9 / 10]:P1}; " +
        $"pulses per weight {t.Counters.TotalPulses / weights:F1}, refreshes per weight {t.Refreshes / weights:F2}; " +
        $"sum of |write| / |end - start| {p.Gross / p.Net(t):F1}");
}
return 0;

// The sbe rule (or mini-batch's, when given) with its writes measured and, in the clip, split and dense modes, applied
// by this probe.
sealed class WriteSizes(SbeRule rule, IUpdateRule? dense, float granularity, string mode) : IUpdateRule
{
    private long _extraWrites;
    private float[] _s = [], _d = [], _x = [], _dense = [], _before = [], _start = [];
    public List<double> K { get; } = [];
    public List<double> Moved { get; } = [];
    public double Gross { get; private set; }
    public CrossbarTile? Tile { get; private set; }
    public string Name => dense?.Name ?? rule.Name;
    public long RankOneWrites => dense?.RankOneWrites ?? rule.RankOneWrites + _extraWrites;
    public long PeripheralMemoryBytes => dense?.PeripheralMemoryBytes ?? rule.PeripheralMemoryBytes;

    public double Net(CrossbarTile tile)
    {
        double net = 0;
        for (int i = 0; i < _start.Length; i++) net += Math.Abs(tile.Weights[i] - _start[i]);
        return net;
    }

    public void Apply(IAnalogArray array, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        var tile = array as CrossbarTile ?? throw new ArgumentException("WriteProbe measures the writes to one CrossbarTile.", nameof(array));
        if (Tile is null) { Tile = tile; _start = tile.Weights.ToArray(); _before = new float[_start.Length]; }
        tile.Weights.CopyTo(_before);
        Write(tile, deltas, inputs, n, learningRate);
        int changed = 0;
        var after = tile.Weights;
        for (int i = 0; i < _before.Length; i++)
        {
            float change = after[i] - _before[i];
            if (change != 0) { changed++; Gross += Math.Abs(change); }
        }
        Moved.Add(changed / (double)_before.Length);
    }

    private void Write(CrossbarTile tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        if (dense is not null) { dense.Apply(tile, deltas, inputs, n, learningRate); return; }
        int rank = rule.Estimator.Rank, rows = rule.Rows, cols = rule.Cols;
        ReadOnlySpan<float> s, d, x;
        if (mode == "paper")
        {
            rule.Apply(tile, deltas, inputs, n, learningRate);
            s = rule.LastS; d = rule.LastD; x = rule.LastX;
        }
        else
        {
            if (_s.Length == 0) { _s = new float[rank]; _d = new float[rank * rows]; _x = new float[rank * cols]; }
            rule.Estimator.ObserveBatch(deltas, inputs, n);
            rule.Estimator.Estimate(_s, _d, _x);
            s = _s; d = _d; x = _x;
        }
        int bl = tile.Config.Update.DesiredBl;
        for (int c = 0; c < rank; c++)
        {
            var dc = d.Slice(c * rows, rows); var xc = x.Slice(c * cols, cols);
            double k = Math.Abs((double)learningRate * s[c]) * MaxAbs(dc) * MaxAbs(xc) / granularity;
            K.Add(k);
            if (mode == "paper") continue;
            if (mode == "clip" && k > bl) tile.Update(learningRate * s[c] * (float)(bl / k), dc, xc);
            else if (mode == "split" && k > bl)
            {
                int m = (int)Math.Ceiling(k / bl);
                for (int t = 0; t < m; t++) tile.Update(learningRate * s[c] / m, dc, xc);
                _extraWrites += m - 1;
            }
            else if (mode == "dense")
            {
                if (_dense.Length == 0) _dense = new float[rows * cols];
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) _dense[i * cols + j] = s[c] * dc[i] * xc[j];
                tile.UpdateDense(learningRate, _dense, 1);
            }
            else tile.Update(learningRate * s[c], dc, xc);
        }
    }

    private static float MaxAbs(ReadOnlySpan<float> v) { float m = 0; foreach (float e in v) m = Math.Max(m, Math.Abs(e)); return m; }
}
