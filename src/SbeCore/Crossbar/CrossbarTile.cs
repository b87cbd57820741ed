using System.Runtime.CompilerServices;
using SbeCore.Devices;
using SbeCore.Devices.Arrays;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// Every public method checks its arguments before touching any state.

/// <summary>
/// A rows x cols crossbar array. Weights are row-major (row = output, column = input). Each device has
/// hidden parameters (bounds, step gains, asymmetry, model-specific values) drawn once from the seed;
/// writes go through the device model as pulses (see <see cref="UpdateConfig"/>), reads through the I/O model.
/// </summary>
public sealed partial class CrossbarTile : IAnalogArray
{
    private readonly float[] _weights;
    private readonly float[] _wMin;
    private readonly float[] _wMax;
    private readonly float[] _params;
    private readonly int _parametersPerDevice;
    private readonly IDeviceModel _device;
    private readonly bool _isIdeal;
    private readonly float[]? _persistent;   // hidden weights the pulses move when write noise is on (else null)
    private readonly float _writeNoise;      // write_noise_std * dw_min
    private readonly OneSidedPair? _pair;    // a one-sided unit cell's two devices (else null)
    private readonly TransferPair? _transfer; // a transfer compound's fast and slow devices (else null)
    private readonly DeviceArray? _array;     // the devices under their law (null for an ideal device and a unit cell)
    private readonly ConstantStepArray? _constantStep; // the same array when it is ConstantStep's (the fused single-word block reads it)
    private readonly CrossbarTile[] _cellArrays = []; // the device arrays a unit cell's pulses go to (PulseContext's cell sums)
    private readonly RandomStream _updateRandom;
    private ulong _reads; // reads so far: the read number that keys their noise (saved)
    private readonly AnalogReader _forwardReader, _backwardReader;

    /// <summary>The tile's reads, and the dense updates of the rules that write it, split over <see cref="Threads"/>.</summary>
    internal ParallelKernels Threaded { get; } = new();

    /// <summary>Tests: multiply-adds per thread below which a read or a mini-batch gradient is not split
    /// (<see cref="ParallelTuning.MinMultiplyAddsPerThread"/>).</summary>
    internal long MinMultiplyAddsPerThread
    {
        get => Threaded.MinWorkPerThread;
        set { Threaded.MinWorkPerThread = value; _forwardReader.MinWorkPerThread = value; _backwardReader.MinWorkPerThread = value; }
    }

    /// <summary>Tests: vectors up to this length go through the I/O model a group at a time (0: one by one).</summary>
    internal int ReadBlockMaxLength
    {
        get => _forwardReader.BlockMaxLength;
        set { _forwardReader.BlockMaxLength = value; _backwardReader.BlockMaxLength = value; }
    }

    /// <summary>Tests: bytes of vectors a read through the I/O model takes through all its steps at a time.</summary>
    internal int ReadChunkBytes
    {
        get => _forwardReader.ChunkBytes;
        set { _forwardReader.ChunkBytes = value; _backwardReader.ChunkBytes = value; }
    }

    /// <summary>Creates a tile; hidden device parameters are drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An invalid configuration (the exception names the parameter).</exception>
    public CrossbarTile(int rows, int cols, TileConfig? config = null, ulong seed = 0)
    {
        Check.AtLeast(rows, 1);
        Check.AtLeast(cols, 1);
        if ((long)rows * cols > Array.MaxLength / 4) throw new ArgumentException($"A {rows} x {cols} tile is too large.", nameof(cols));
        config ??= new TileConfig();
        config.Validate();
        Rows = rows; Cols = cols; Config = config; Seed = seed;
        _device = config.Device;
        _isIdeal = _device is IdealDevice;
        _parametersPerDevice = _device.ParametersPerDevice;
        int devices = rows * cols;
        _weights = new float[devices];
        _wMin = new float[devices];
        _wMax = new float[devices];
        _params = new float[(long)devices * _parametersPerDevice];
        Counters = new TileCounters(devices);
        _updateRandom = new RandomStream(StreamSeed(seed, 1));
        _forwardReader = new AnalogReader(DrawKey(seed, 10), DrawKey(seed, 11));
        _backwardReader = new AnalogReader(DrawKey(seed, 10), DrawKey(seed, 11));

        if (_device is OneSidedUnitCell cell)
        {
            _pair = new OneSidedPair(rows, cols, cell, StreamSeed(seed, 4), StreamSeed(seed, 5));
            _pair.VisibleBounds(_wMin, _wMax);
            _cellArrays = [_pair.Plus, _pair.Minus];
        }
        else if (_device is TransferCompound compound)
        {
            _transfer = new TransferPair(rows, cols, compound, StreamSeed(seed, 4), StreamSeed(seed, 5), StreamSeed(seed, 6));
            _transfer.VisibleBounds(_wMin, _wMax);
            _cellArrays = [_transfer.Fast];
        }
        else
        {
            var rng = new Xoshiro256(StreamSeed(seed, 0));
            for (int k = 0; k < devices; k++)
                _device.SampleDevice(ref rng, _params.AsSpan(k * _parametersPerDevice, _parametersPerDevice), out _wMin[k], out _wMax[k]);
            CheckSampledDevices();
        }
        if (_device is PulsedDevice pulsed)
        {
            if (pulsed.UsesPersistentWeight)
            {
                _persistent = new float[devices];
                _writeNoise = pulsed.WriteNoiseStd * pulsed.DwMin;
            }
            SampleRetention(pulsed, StreamSeed(seed, 3));
        }
        if (!_isIdeal && _pair is null && _transfer is null)
            _array = DeviceArray.Create(_device, new DeviceArrayState(_weights, _persistent, _wMin, _wMax, _writeNoise, _params, _parametersPerDevice));
        _constantStep = _array as ConstantStepArray;
        AllocatePulseScratch();
        RefreshDeviceArrays();
    }

    // A model must give every device finite parameters and ordered bounds (a reference device's visible range may
    // exclude 0, as in aihwkit); refuse it now rather than discover Inf or NaN weights mid-training.
    private void CheckSampledDevices()
    {
        int bad = Blas.IndexOfNonFinite(_params);
        if (bad >= 0)
            throw new ArgumentException($"Device model {_device.Name} drew a non-finite hidden parameter ({_params[bad]} for device {bad / Math.Max(1, _parametersPerDevice)}); check its parameters.", "config");
        for (int k = 0; k < _wMin.Length; k++)
        {
            bool finite = _isIdeal || (float.IsFinite(_wMin[k]) && float.IsFinite(_wMax[k]));
            if (!(_wMin[k] <= _wMax[k]) || !finite)
                throw new ArgumentException($"Device model {_device.Name} drew bounds [{_wMin[k]}, {_wMax[k]}] for device {k}; they must be finite and ordered.", "config");
        }
    }

    private static ulong StreamSeed(ulong seed, ulong stream) => seed ^ (0x9E3779B97F4A7C15UL * (stream + 1));

    /// <summary>Outputs (a).</summary>
    public int Rows { get; }
    /// <summary>Inputs (b).</summary>
    public int Cols { get; }
    /// <summary>The configuration the tile was built with.</summary>
    public TileConfig Config { get; }
    /// <summary>The construction seed (hidden parameters and every random stream derive from it).</summary>
    public ulong Seed { get; }
    /// <summary>Endurance and energy counters.</summary>
    public TileCounters Counters { get; }

    /// <summary>Current weights, row-major rows x cols (read-only view).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Per-device lower bounds (aihwkit: w_min per device), row-major; -infinity for an ideal device.</summary>
    public ReadOnlySpan<float> MinBounds => _wMin;

    /// <summary>Per-device upper bounds (aihwkit: w_max per device), row-major; +infinity for an ideal device.</summary>
    public ReadOnlySpan<float> MaxBounds => _wMax;

    /// <summary>Hidden float parameters per device (the device model's <see cref="IDeviceModel.ParametersPerDevice"/>).</summary>
    public int ParametersPerDevice => _parametersPerDevice;

    /// <summary>All hidden parameters, device k at [k * ParametersPerDevice, (k + 1) * ParametersPerDevice).
    /// Built-in pulsed models start with [scale_up, scale_down].</summary>
    public ReadOnlySpan<float> DeviceParameters => _params;

    /// <summary>Copies the weights into <paramref name="destination"/> (length rows * cols).</summary>
    public void GetWeights(Span<float> destination)
    {
        RequireLength(destination.Length, Rows * Cols, nameof(destination));
        _weights.CopyTo(destination);
    }

    /// <summary>Programs the weights (clipped to device bounds); not counted as training writes. With write noise,
    /// the weights read back carry fresh write noise (aihwkit: apply_write_noise_on_set); a unit cell puts a positive
    /// weight on its plus device and a negative one on its minus device.</summary>
    public void SetWeights(ReadOnlySpan<float> weights)
    {
        RequireLength(weights.Length, Rows * Cols, nameof(weights));
        RequireFinite(weights, nameof(weights));
        for (int k = 0; k < weights.Length; k++) WriteHidden(k, Math.Clamp(weights[k], _wMin[k], _wMax[k]));
        _transfer?.RestartSchedule();
        _weightBound = ExactWeightBound();
    }

    // The weight the device physics acts on: the hidden (persistent) weight with write noise, else the visible one.
    private float HiddenWeight(int k) => _persistent is not null ? _persistent[k] : _weights[k];

    // Sets device k to w (within its bounds) the way programming does.
    private void WriteHidden(int k, float w)
    {
        if (_pair is not null) _weights[k] = _pair.Program(k, w);
        else if (_transfer is not null) _weights[k] = _transfer.Program(k, w);
        else if (_persistent is not null)
        {
            _persistent[k] = w;
            _weights[k] = w + _writeNoise * _updateRandom.NextGaussian();
        }
        else _weights[k] = w;
    }

    /// <summary>Forward read of a batch: outputs (n x rows) = inputs (n x cols) W^T, through the forward I/O model.</summary>
    public void Read(ReadOnlySpan<float> inputs, int n, Span<float> outputs)
    {
        CheckRead(inputs, n, Cols, outputs, Rows, nameof(inputs));
        var batch = inputs.Slice(0, n * Cols);
        RequireFiniteInputs(_forwardReader, Config.Forward, batch, n, Cols, nameof(inputs));
        if (Config.Forward.IsPerfect) Threaded.BatchRead(_weights, Rows, Cols, Cols, batch, n, outputs.Slice(0, n * Rows), _threads);
        else _forwardReader.Read(Config.Forward, _weights, Rows, Cols, transposed: false, batch, n, outputs, ++_reads, _threads);
    }

    /// <summary>Backward read of a batch: outputs (n x cols) = errors (n x rows) W, through the backward I/O model.</summary>
    public void ReadTransposed(ReadOnlySpan<float> errors, int n, Span<float> outputs)
    {
        CheckRead(errors, n, Rows, outputs, Cols, nameof(errors));
        var batch = errors.Slice(0, n * Rows);
        RequireFiniteInputs(_backwardReader, Config.Backward, batch, n, Rows, nameof(errors));
        if (Config.Backward.IsPerfect) Threaded.BatchReadTransposed(_weights, Rows, Cols, Cols, batch, n, outputs.Slice(0, n * Cols), _threads);
        else _backwardReader.Read(Config.Backward, _weights, Rows, Cols, transposed: true, batch, n, outputs, ++_reads, _threads);
    }

    /// <summary>One rank-1 write: W -= learningRate * d x^T (d has rows entries, x has cols), applied through the device model.</summary>
    public void Update(float learningRate, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        RequireFinite(learningRate, nameof(learningRate));
        RequireLength(d.Length, Rows, nameof(d));
        RequireLength(x.Length, Cols, nameof(x));
        float dMax = FiniteAbsMax(d, nameof(d)), xMax = FiniteAbsMax(x, nameof(x));
        double change = RankOneChange(learningRate, dMax, xMax);
        RememberLearningRate(learningRate);
        float one = 1f;
        WriteRankK(learningRate, new ReadOnlySpan<float>(in one), d, x);
        GrowWeightBound(change);
    }

    /// <summary>k rank-1 writes: W -= learningRate * sum_c s[c] d_c x_c^T; d is k x rows, x is k x cols.</summary>
    public void UpdateRankK(float learningRate, ReadOnlySpan<float> s, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        RequireFinite(learningRate, nameof(learningRate));
        int k = s.Length;
        RequireLength(d.Length, k * Rows, nameof(d));
        RequireLength(x.Length, k * Cols, nameof(x));
        float sMax = FiniteAbsMax(s, nameof(s)), dMax = FiniteAbsMax(d, nameof(d)), xMax = FiniteAbsMax(x, nameof(x));
        for (int c = 0; c < k; c++)
        {
            if (!float.IsFinite(learningRate * s[c])) throw new ArgumentException($"learningRate * s[{c}] overflows ({learningRate} * {s[c]}).", nameof(s));
        }
        double change = RankKChange(learningRate, s, d, x, sMax, dMax, xMax);
        RememberLearningRate(learningRate);
        WriteRankK(learningRate, s, d, x);
        GrowWeightBound(change);
    }

    /// <summary>Dense element-wise write W -= learningRate * g (g rows x cols), as a mini-batch buffer would apply it.
    /// Pulsed devices get |learningRate g_ij| / dw_min pulses each (stochastically rounded for StochasticCompressed,
    /// rounded to nearest for DeterministicImplicit), at most max(1, rankOneEquivalent) * BL (and at most 2^24) per device.
    /// Counts <paramref name="rankOneEquivalent"/> rank-1 writes.</summary>
    public void UpdateDense(float learningRate, ReadOnlySpan<float> g, long rankOneEquivalent)
    {
        RequireLength(g.Length, Rows * Cols, nameof(g));
        UpdateDense(learningRate, g, Cols, rankOneEquivalent);
    }

    /// <summary>As <see cref="UpdateDense(float, ReadOnlySpan{float}, long)"/> with g at a row stride: row r of g is
    /// g[r * stride .. r * stride + cols) (e.g. an <see cref="AlignedMatrix"/>); the stride gaps are not read.</summary>
    public void UpdateDense(float learningRate, ReadOnlySpan<float> g, int stride, long rankOneEquivalent)
    {
        RequireFinite(learningRate, nameof(learningRate));
        if (stride < Cols) throw new ArgumentException($"stride is {stride}, less than Cols = {Cols}.", nameof(stride));
        long needed = (long)(Rows - 1) * stride + Cols;
        if (g.Length < needed) throw new ArgumentException($"g has {g.Length} elements, {Rows} rows at stride {stride} need {needed}.", nameof(g));
        // One scan of g, split over the tile's threads: its largest magnitude, NaN if anything in it is not finite.
        float gMax = Threaded.AbsMaxRows(g, Rows, Cols, stride, _threads);
        if (float.IsNaN(gMax)) for (int r = 0; r < Rows; r++) RequireFinite(g.Slice(r * stride, Cols), nameof(g), r * stride);
        if (rankOneEquivalent < 0) throw new ArgumentException($"rankOneEquivalent must be >= 0, got {rankOneEquivalent}.", nameof(rankOneEquivalent));
        double change = DenseChange(learningRate, gMax);
        RememberLearningRate(learningRate);
        ApplyDense(PulseCountLearningRate(learningRate), g, stride, rankOneEquivalent);
        GrowWeightBound(change);
        Counters.RankOneWrites += rankOneEquivalent;
        _transfer?.AfterWrites(rankOneEquivalent, _weights);
    }

    // A transfer compound's fast learning rate sets the pulses of its gradient writes (aihwkit: getPulseCountLearningRate).
    private float PulseCountLearningRate(float lr) => _device is TransferCompound compound ? compound.PulseCountLearningRate(lr) : lr;

    // The optimizer's learning rate, which scales a transfer compound's transfer writes (aihwkit's current_lr).
    private void RememberLearningRate(float lr)
    {
        if (_transfer is not null) _transfer.LearningRate = lr;
    }

    // A read's lengths (the inputs' values are checked by RequireFiniteInputs, before the read number is taken).
    private static void CheckRead(ReadOnlySpan<float> input, int n, int inLen, Span<float> output, int outLen, string inputName)
    {
        Check.AtLeast(n, 0);
        if (input.Length < (long)n * inLen) throw new ArgumentException($"{inputName} has {input.Length} elements, a batch of {n} x {inLen} needs {(long)n * inLen}.", inputName);
        if (output.Length < (long)n * outLen) throw new ArgumentException($"outputs has {output.Length} elements, a batch of {n} x {outLen} needs {(long)n * outLen}.", "outputs");
    }

    // A read's inputs must be finite. Through an I/O model with noise management the reader's per-vector maxima, which
    // the read needs anyway, are the check (one scan of the batch, not two); the element is named by a scan of
    // `named` (the inputs as the caller laid them out) only when one is not finite.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequireFiniteInputs(AnalogReader reader, IOConfig io, ReadOnlySpan<float> input, int n, int inLen, string name) =>
        RequireFiniteInputs(reader, io, input, n, inLen, input, name);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequireFiniteInputs(AnalogReader reader, IOConfig io, ReadOnlySpan<float> input, int n, int inLen, ReadOnlySpan<float> named, string name)
    {
        if (io.IsPerfect || !reader.ScanInputs(io, input, n, inLen)) RequireFinite(named, name);
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"{name} has {actual} elements, expected {expected}.", name);
    }

    private static void RequireFinite(float value, string name)
    {
        if (!float.IsFinite(value)) throw new ArgumentException($"{name} must be finite, got {value}.", name);
    }

    // The largest magnitude of values, which must all be finite: one scan that also checks them (AbsMax is NaN for a NaN
    // or an infinity), the element named only then.
    private static float FiniteAbsMax(ReadOnlySpan<float> values, string name)
    {
        float max = SimdReduce.AbsMax(values);
        if (float.IsNaN(max)) RequireFinite(values, name);
        return max;
    }

    // offset: where values starts in the caller's span (for the index in the message).
    private static void RequireFinite(ReadOnlySpan<float> values, string name, int offset = 0)
    {
        int i = Blas.IndexOfNonFinite(values);
        if (i >= 0) throw new ArgumentException($"{name}[{offset + i}] is {values[i]}; NaN and infinite entries are rejected.", name);
    }
}
