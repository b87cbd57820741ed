using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;

namespace SbeCore.Numerics;

/// <summary>
/// Buffered uniform and standard-normal draws refilled in bulk from <see cref="Xoshiro256Lanes"/>
/// (vectorised Box-Muller, both values of each pair used). One draw is an array read; refills happen
/// every <see cref="BufferLength"/> draws and allocate nothing. Uniform and Gaussian values are bit-identical on
/// every ISA path (<see cref="GaussianTransform"/>).
/// </summary>
public sealed class RandomStream
{
    /// <summary>Values held per buffer between bulk refills.</summary>
    public const int BufferLength = 1024;

    private readonly Xoshiro256Lanes _lanes;
    private readonly ulong[] _bits = new ulong[BufferLength];
    private readonly float[] _gaussian = new float[BufferLength];
    private readonly float[] _uniform = new float[BufferLength];
    private int _gaussianNext = BufferLength;
    private int _uniformNext = BufferLength;

    /// <summary>Creates a stream seeded with <paramref name="seed"/>.</summary>
    public RandomStream(ulong seed) => _lanes = new Xoshiro256Lanes(seed);

    /// <summary>The underlying bulk generator (for raw 64-bit fills).</summary>
    public Xoshiro256Lanes Lanes => _lanes;

    /// <summary>Next standard normal draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextGaussian()
    {
        if (_gaussianNext == BufferLength) RefillGaussian();
        return _gaussian[_gaussianNext++];
    }

    /// <summary>Next uniform draw in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextUniform()
    {
        if (_uniformNext == BufferLength) RefillUniform();
        return _uniform[_uniformNext++];
    }

    // Direct buffer access for hot loops that inline the draw (the ConstantStep coincidence loop).
    internal float[] GaussianBuffer => _gaussian;

    internal int GaussianPosition { get => _gaussianNext; set => _gaussianNext = value; }

    /// <summary>Refills the Gaussian buffer and sets its position to 0.</summary>
    internal void RefillGaussianBuffer() => RefillGaussian();

    private void RefillUniform()
    {
        _lanes.Fill(_bits.AsSpan(0, BufferLength / 2));
        // Each 32-bit half of a word gives one uniform from its top 24 bits.
        RandomKernels.ToUnit(MemoryMarshal.Cast<ulong, uint>(_bits.AsSpan(0, BufferLength / 2)), _uniform, 0);
        _uniformNext = 0;
    }

    private void RefillGaussian()
    {
        _lanes.Fill(_bits.AsSpan(0, BufferLength / 2));
        // 1024 32-bit draws: the first half gives u1 in (0, 1] (log finite), the second u2 in [0, 1).
        var draws = MemoryMarshal.Cast<ulong, uint>(_bits.AsSpan(0, BufferLength / 2));
        Span<float> g = _gaussian;
        var u1 = g.Slice(0, BufferLength / 2);
        var u2 = g.Slice(BufferLength / 2);
        RandomKernels.ToUnit(draws.Slice(0, BufferLength / 2), u1, 1);
        RandomKernels.ToUnit(draws.Slice(BufferLength / 2), u2, 0);
        GaussianTransform.BoxMuller(u1, u2);
        _gaussianNext = 0;
    }

    /// <summary>y[i] += sigma * (the next Gaussian draw), the draws taken in order from the buffer in whole runs: the
    /// same numbers, in the same places, as one <see cref="NextGaussian"/> per element.</summary>
    internal void AddGaussian(float sigma, Span<float> y)
    {
        while (!y.IsEmpty)
        {
            if (_gaussianNext == BufferLength) RefillGaussian();
            int n = Math.Min(y.Length, BufferLength - _gaussianNext);
            SimdMap.Binary(new AddScaledOperator(sigma), y.Slice(0, n), _gaussian.AsSpan(_gaussianNext, n), y.Slice(0, n));
            _gaussianNext += n;
            y = y.Slice(n);
        }
    }

    /// <summary>Writes the generator state, both buffers and their positions.</summary>
    internal void Save(BinaryWriter writer)
    {
        Span<ulong> state = stackalloc ulong[Xoshiro256Lanes.StateWords];
        _lanes.GetState(state);
        foreach (var w in state) writer.Write(w);
        writer.Write(_gaussianNext); writer.Write(_uniformNext);
        foreach (var v in _gaussian) writer.Write(v);
        foreach (var v in _uniform) writer.Write(v);
    }

    /// <summary>Reads what <see cref="Save"/> wrote (validated before anything is changed).</summary>
    internal void Load(BinaryReader reader)
    {
        Span<ulong> state = stackalloc ulong[Xoshiro256Lanes.StateWords];
        for (int i = 0; i < state.Length; i++) state[i] = reader.ReadUInt64();
        int g = reader.ReadInt32(), u = reader.ReadInt32();
        if ((uint)g > BufferLength || (uint)u > BufferLength) throw new InvalidDataException($"Random-stream positions {g}, {u} are out of range.");
        var gaussian = new float[BufferLength]; var uniform = new float[BufferLength];
        for (int i = 0; i < BufferLength; i++) gaussian[i] = reader.ReadSingle();
        for (int i = 0; i < BufferLength; i++) uniform[i] = reader.ReadSingle();
        try { _lanes.SetState(state); }
        catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
        gaussian.CopyTo(_gaussian, 0); uniform.CopyTo(_uniform, 0);
        _gaussianNext = g; _uniformNext = u;
    }
}
