using SbeCore.Kernels;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// Which thread runs each tile layer's update in a training step. Layers update in order on the caller, each tile
/// splitting its own writes and gradients over its threads, unless the rules' serial chains are worth sharing out (SBE's
/// estimator streams the batch pair by pair, and no tile can split that): then whole layers run side by side, grouped
/// by their estimated cost (<see cref="UpdateWork"/>; largest first onto the least loaded thread), when the most loaded
/// thread's estimate is below that of the layers in order (serial parts in turn, split parts shared by every thread). A layer's update gives the same bits on any thread
/// (its rule and tile are its own, and a tile's writes give the same bits however they split), so the schedule changes
/// only the time. Only SbeCore's own rules (<see cref="ILayerLocalRule"/>) are run side by side; with a batch observer
/// the layers update in order, as it expects. Every layer's check (the bounds the rules rely on) passes before any layer
/// is updated, in the same groups; a failed check is reported as the in-order checks report it (the first layer's).
/// </summary>
internal sealed class LayerUpdateSchedule
{
    /// <summary>Least estimated serial work over all layers worth waking another thread for, in nanoseconds.</summary>
    public const double DefaultMinSerialNanoseconds = 20_000;

    private readonly ITileLayer[] _layers;
    private readonly ILayerLocalRule[]? _rules; // null: some rule is not SbeCore's
    private readonly Action<int, int, float> _check, _update; // (layer, n, learning rate)
    private readonly Action<int> _checkGroup, _updateGroup;
    private readonly double[] _cost, _loads;
    private readonly int[] _groupOf, _byCost;
    private int _n;
    private float _learningRate;

    public LayerUpdateSchedule(ITileLayer[] layers, Action<int, int, float> check, Action<int, int, float> update)
    {
        _layers = layers; _check = check; _update = update;
        _checkGroup = g => RunGroup(_check, g); _updateGroup = g => RunGroup(_update, g);
        var rules = new ILayerLocalRule[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            if (layers[l].Rule is not ILayerLocalRule local) { rules = null; break; }
            rules[l] = local;
        }
        _rules = rules;
        _cost = new double[layers.Length]; _loads = new double[layers.Length];
        _groupOf = new int[layers.Length]; _byCost = new int[layers.Length];
    }

    /// <summary>See <see cref="DefaultMinSerialNanoseconds"/> (tests lower it to run small networks side by side).</summary>
    public double MinSerialNanoseconds { get; set; } = DefaultMinSerialNanoseconds;
    /// <summary>Steps whose layers ran side by side (tests).</summary>
    public long SideBySideSteps { get; private set; }
    /// <summary>Bytes worker threads allocated while running layer groups (steady state: none).</summary>
    public long WorkerAllocatedBytes { get; private set; }

    /// <summary>Checks, then updates, every tile layer for a batch of <paramref name="n"/> samples.</summary>
    public void Run(int n, float learningRate, int threads, bool inOrder)
    {
        int groups = inOrder ? 1 : Plan(n, threads);
        if (groups == 1)
        {
            for (int l = 0; l < _layers.Length; l++) _check(l, n, learningRate);
            for (int l = 0; l < _layers.Length; l++) _update(l, n, learningRate);
            return;
        }
        _n = n; _learningRate = learningRate;
        SideBySideSteps++;
        try { WorkerAllocatedBytes += WorkerPool.Shared.Run(_checkGroup, groups); }
        catch
        {
            for (int l = 0; l < _layers.Length; l++) _check(l, n, learningRate); // throws the in-order failure
            throw;
        }
        WorkerAllocatedBytes += WorkerPool.Shared.Run(_updateGroup, groups);
    }

    private void RunGroup(Action<int, int, float> perLayer, int group)
    {
        for (int l = 0; l < _layers.Length; l++)
            if (_groupOf[l] == group) perLayer(l, _n, _learningRate);
    }

    // The number of groups (1: in order); _groupOf says which group runs each layer.
    private int Plan(int n, int threads)
    {
        int count = _layers.Length, groups = Math.Min(threads, count);
        if (_rules is null || groups < 2) return 1;
        double serial = 0, inOrder = 0;
        for (int l = 0; l < count; l++)
        {
            var work = _rules[l].Work(checked(n * _layers[l].Positions), _layers[l].Tile);
            _cost[l] = work.SerialNanoseconds + work.SplitNanoseconds;
            serial += work.SerialNanoseconds;
            inOrder += work.SerialNanoseconds + work.SplitNanoseconds / threads;
            _byCost[l] = l;
        }
        if (serial == 0 || serial < MinSerialNanoseconds) return 1;
        // Largest first (ties in layer order), each onto the least loaded group (ties: the lowest group).
        for (int i = 1; i < count; i++)
            for (int j = i; j > 0 && _cost[_byCost[j]] > _cost[_byCost[j - 1]]; j--)
                (_byCost[j], _byCost[j - 1]) = (_byCost[j - 1], _byCost[j]);
        _loads.AsSpan(0, groups).Clear();
        double heaviest = 0;
        foreach (int l in _byCost)
        {
            int least = 0;
            for (int g = 1; g < groups; g++) if (_loads[g] < _loads[least]) least = g;
            _groupOf[l] = least;
            _loads[least] += _cost[l];
            heaviest = Math.Max(heaviest, _loads[least]);
        }
        return heaviest < inOrder ? groups : 1;
    }
}
