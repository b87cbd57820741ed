using System.Diagnostics;
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
/// <remarks>
/// A tile's pulsed write hands device models a keyed stream instead: its draws are those of one line (a row group) of
/// one write: eight xoshiro256** lanes whose whole state is the Philox4x32-10 block of counter (0..15, line, write)
/// under the stream's key, so they do not depend on which thread runs the line or on what other lines drew. Such a
/// stream has no <see cref="Lanes"/>.
/// </remarks>
public sealed class RandomStream
{
    /// <summary>Values held per buffer between bulk refills.</summary>
    public const int BufferLength = 1024;

    private readonly Xoshiro256Lanes? _lanes; // null for a keyed stream
    private readonly ulong[] _bits = new ulong[BufferLength];
    private readonly float[] _gaussian = new float[BufferLength];
    private readonly float[] _uniform = new float[BufferLength];
    private int _gaussianNext = BufferLength, _gaussianEnd = BufferLength;
    private int _uniformNext = BufferLength, _uniformEnd = BufferLength;

    // A keyed stream: the keys of its Gaussian and uniform draws, the line and write it is at, how many 64-word blocks
    // each has drawn since the seek, and how many blocks a refill computes (a hint: the values do not depend on it).
    private readonly ulong _gaussianKey, _uniformKey;
    private readonly Xoshiro256Lanes? _gaussianLanes, _uniformLanes; // the line's generators, seeded on first use
    private ulong _write;
    private uint _line, _gaussianBlock, _uniformBlock;
    private int _gaussianRefill = 1, _uniformRefill = 1;

    /// <summary>Creates a stream seeded with <paramref name="seed"/>.</summary>
    public RandomStream(ulong seed) => _lanes = new Xoshiro256Lanes(seed);

    private RandomStream(ulong gaussianKey, ulong uniformKey)
    {
        _gaussianKey = gaussianKey; _uniformKey = uniformKey;
        _gaussianLanes = new Xoshiro256Lanes(0); _uniformLanes = new Xoshiro256Lanes(0);
        _gaussianNext = _gaussianEnd = _uniformNext = _uniformEnd = 0;
    }

    /// <summary>A keyed stream (see the remarks): call <see cref="Seek"/> before drawing.</summary>
    internal static RandomStream Keyed(ulong gaussianKey, ulong uniformKey) => new(gaussianKey, uniformKey);

    /// <summary>The underlying bulk generator (for raw 64-bit fills).</summary>
    /// <exception cref="InvalidOperationException">A keyed stream (a pulsed write's): it has no sequential generator.</exception>
    public Xoshiro256Lanes Lanes => _lanes ?? throw new InvalidOperationException("A pulsed write's keyed random stream has no sequential lane generator; draw with NextGaussian and NextUniform.");

    /// <summary>
    /// Keyed streams: moves to the start of <paramref name="line"/>'s draws in write <paramref name="write"/> (both
    /// buffers emptied). The expected counts size the first refills only; the values drawn do not depend on them.
    /// </summary>
    internal void Seek(uint line, ulong write, int expectedGaussians, int expectedUniforms)
    {
        Debug.Assert(_lanes is null, "only a keyed stream seeks");
        _line = line; _write = write;
        _gaussianBlock = 0; _uniformBlock = 0;
        _gaussianNext = _gaussianEnd = 0;
        _uniformNext = _uniformEnd = 0;
        _gaussianRefill = RefillBlocks(expectedGaussians);
        _uniformRefill = RefillBlocks(expectedUniforms);
    }

    private static int RefillBlocks(int expected) => Math.Clamp((expected + Philox4x32.BlockWords - 1) / Philox4x32.BlockWords, 1, BufferLength / Philox4x32.BlockWords);

    /// <summary>Next standard normal draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextGaussian()
    {
        if (_gaussianNext >= _gaussianEnd) RefillGaussian();
        return _gaussian[_gaussianNext++];
    }

    /// <summary>Next uniform draw in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextUniform()
    {
        if (_uniformNext >= _uniformEnd) RefillUniform();
        return _uniform[_uniformNext++];
    }

    // Direct buffer access for hot loops that inline the draw (the ConstantStep coincidence loop).
    internal float[] GaussianBuffer => _gaussian;

    internal int GaussianPosition { get => _gaussianNext; set => _gaussianNext = value; }

    /// <summary>The end of the Gaussians in <see cref="GaussianBuffer"/> (those from <see cref="GaussianPosition"/> up to it are undrawn).</summary>
    internal int GaussianEnd => _gaussianEnd;

    /// <summary>Keyed streams: Gaussians drawn since the last <see cref="Seek"/>.</summary>
    internal int GaussiansDrawn => (int)_gaussianBlock * Philox4x32.BlockWords - (_gaussianEnd - _gaussianNext);

    /// <summary>Keyed streams: makes at least <paramref name="count"/> (at most 64) Gaussians available from
    /// <see cref="GaussianPosition"/> on, keeping those not yet drawn (moved to the front), so a loop can read them
    /// straight from <see cref="GaussianBuffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnsureGaussians(int count)
    {
        if (_gaussianEnd - _gaussianNext < count) KeepAndRefillGaussians();
    }

    /// <summary>Fills <paramref name="destination"/> with the next Gaussians: the values that as many
    /// <see cref="NextGaussian"/> calls would return, in the same order.</summary>
    internal void DrawGaussians(Span<float> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_gaussianNext >= _gaussianEnd && _lanes is null && destination.Length >= Philox4x32.BlockWords)
            {
                // Whole blocks straight into the destination: a keyed line's values do not depend on the buffer.
                int words = Math.Min(destination.Length / Philox4x32.BlockWords, MaxKeyedBlocks) * Philox4x32.BlockWords;
                GaussianBlocksKeyed(destination.Slice(0, words));
                destination = destination.Slice(words);
                continue;
            }
            if (_gaussianNext >= _gaussianEnd) RefillGaussian();
            int take = Math.Min(destination.Length, _gaussianEnd - _gaussianNext);
            _gaussian.AsSpan(_gaussianNext, take).CopyTo(destination);
            _gaussianNext += take;
            destination = destination.Slice(take);
        }
    }

    /// <summary>Moves past the next <paramref name="count"/> Gaussians (as many <see cref="NextGaussian"/> calls would).</summary>
    internal void SkipGaussians(int count)
    {
        while (count > 0)
        {
            if (_gaussianNext >= _gaussianEnd) RefillGaussian();
            int take = Math.Min(count, _gaussianEnd - _gaussianNext);
            _gaussianNext += take;
            count -= take;
        }
    }

    private void KeepAndRefillGaussians()
    {
        Debug.Assert(_lanes is null, "only a keyed stream keeps its undrawn Gaussians");
        int left = _gaussianEnd - _gaussianNext;
        _gaussian.AsSpan(_gaussianNext, left).CopyTo(_gaussian);
        FillGaussiansKeyed(left);
    }

    private void RefillUniform()
    {
        if (_lanes is null) { RefillUniformKeyed(); return; }
        _lanes.Fill(_bits.AsSpan(0, BufferLength / 2));
        // Each 32-bit half of a word gives one uniform from its top 24 bits.
        RandomKernels.ToUnit(MemoryMarshal.Cast<ulong, uint>(_bits.AsSpan(0, BufferLength / 2)), _uniform, 0);
        _uniformNext = 0;
    }

    private void RefillGaussian()
    {
        if (_lanes is null) { RefillGaussianKeyed(); return; }
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

    // A line's generators: their state is the line's first Philox block (32 64-bit words, the eight lanes' four
    // state words), computed when the line first draws. Then every 64 of the lanes' 32-bit words give 64 uniforms,
    // or 32 Box-Muller pairs: u1 from the first 32 (plus 2^-24), u2 from the last 32, cosines then sines. The lanes'
    // output does not depend on how it is split into refills, so Gaussian g of a line is always the same value.
    private void SeedLine(ulong key, Xoshiro256Lanes lanes)
    {
        var state = _bits.AsSpan(0, Xoshiro256Lanes.StateWords);
        Philox4x32.FillStream(key, _write, _line, 0, MemoryMarshal.Cast<ulong, uint>(state));
        lanes.Reseed(state);
    }

    private void RefillUniformKeyed()
    {
        int words = _uniformRefill * Philox4x32.BlockWords;
        if (_uniformBlock == 0) SeedLine(_uniformKey, _uniformLanes!);
        _uniformLanes!.Fill(_bits.AsSpan(0, words / 2));
        var draws = MemoryMarshal.Cast<ulong, uint>(_bits.AsSpan()).Slice(0, words);
        RandomKernels.ToUnit(draws, _uniform, 0);
        _uniformBlock += (uint)_uniformRefill;
        _uniformNext = 0; _uniformEnd = words;
    }

    private void RefillGaussianKeyed() => FillGaussiansKeyed(0);

    // The next blocks of the line's Gaussians go to the buffer from `offset` on. Each refill computes twice as many
    // blocks as the one before (from the Seek's estimate, up to the buffer), so a row that draws many costs few refills.
    private void FillGaussiansKeyed(int offset)
    {
        int words = Math.Min(_gaussianRefill, (BufferLength - offset) / Philox4x32.BlockWords) * Philox4x32.BlockWords;
        GaussianBlocksKeyed(_gaussian.AsSpan(offset, words));
        _gaussianNext = 0; _gaussianEnd = offset + words;
        _gaussianRefill = Math.Min(2 * _gaussianRefill, BufferLength / Philox4x32.BlockWords);
    }

    /// <summary>Blocks of 64 32-bit words the draw scratch holds: the most one keyed fill computes.</summary>
    private const int MaxKeyedBlocks = 2 * BufferLength / Philox4x32.BlockWords;

    // The line's next destination.Length / 64 blocks (at most MaxKeyedBlocks) of Gaussians into destination.
    private void GaussianBlocksKeyed(Span<float> destination)
    {
        int words = destination.Length;
        Debug.Assert(words % Philox4x32.BlockWords == 0 && words <= MaxKeyedBlocks * Philox4x32.BlockWords);
        if (_gaussianBlock == 0) SeedLine(_gaussianKey, _gaussianLanes!);
        _gaussianLanes!.Fill(_bits.AsSpan(0, words / 2));
        GaussianTransform.BoxMullerBlocks(MemoryMarshal.Cast<ulong, uint>(_bits.AsSpan()).Slice(0, words), destination);
        _gaussianBlock += (uint)(words / Philox4x32.BlockWords);
    }

    /// <summary>y[i] += sigma * (the next Gaussian draw), the draws taken in order from the buffer in whole runs: the
    /// same numbers, in the same places, as one <see cref="NextGaussian"/> per element.</summary>
    internal void AddGaussian(float sigma, Span<float> y)
    {
        while (!y.IsEmpty)
        {
            if (_gaussianNext >= _gaussianEnd) RefillGaussian();
            int n = Math.Min(y.Length, _gaussianEnd - _gaussianNext);
            SimdMap.Binary(new AddScaledOperator(sigma), y.Slice(0, n), _gaussian.AsSpan(_gaussianNext, n), y.Slice(0, n));
            _gaussianNext += n;
            y = y.Slice(n);
        }
    }

    /// <summary>Writes the generator state, both buffers and their positions.</summary>
    internal void Save(BinaryWriter writer)
    {
        if (_lanes is null) throw new InvalidOperationException("A keyed stream has no state to save.");
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
        if (_lanes is null) throw new InvalidOperationException("A keyed stream has no state to load.");
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
