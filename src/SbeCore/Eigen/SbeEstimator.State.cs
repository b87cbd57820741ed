namespace SbeCore.Eigen;

// The estimator's evolving state as bytes, so a host can checkpoint a training run (e.g. sbecore.torch's optimizer
// state_dict) and continue it bit-identically. The options and shape are part of the blob and must match on load.
public sealed partial class SbeEstimator
{
    private const int StateMagic = 0x53424553; // "SBES"
    private const int StateVersion = 1;

    /// <summary>The whole evolving state (vectors, scales, exponents, norms, the partial sub-batch, counts and the random
    /// stream), with the shape and options it belongs to. <see cref="LoadState"/> on an estimator of the same shape and
    /// options continues exactly as this one would.</summary>
    public byte[] SaveState()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(StateMagic); w.Write(StateVersion);
            WriteShape(w);
            Floats(w, _x); Floats(w, _d); Floats(w, _s);
            foreach (int e in _ex) w.Write(e);
            foreach (int e in _ed) w.Write(e);
            foreach (double v in _xNorm) w.Write(v);
            foreach (double v in _dNorm) w.Write(v);
            w.Write(_scalePending); w.Write(_awaitingFirstSample); w.Write(_bufCount); w.Write(_batchCount);
            Floats(w, _bufD); Floats(w, _bufX); Floats(w, _bufMd); Floats(w, _bufMx);
            var (s0, s1, s2, s3) = _rng.State;
            w.Write(s0); w.Write(s1); w.Write(s2); w.Write(s3);
        }
        return stream.ToArray();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/>. Everything is read and checked before anything
    /// changes: a blob of another shape or options, a truncated or extended one, or non-finite values throw
    /// <see cref="ArgumentException"/> and leave the estimator as it was.</summary>
    public void LoadState(ReadOnlySpan<byte> state)
    {
        using var stream = new MemoryStream(state.ToArray(), writable: false);
        using var r = new BinaryReader(stream);
        try
        {
            if (r.ReadInt32() != StateMagic) throw Bad("it is not an estimator state");
            int version = r.ReadInt32();
            if (version != StateVersion) throw Bad($"its version is {version}, this library reads {StateVersion}");
            using (var expected = new MemoryStream())
            {
                using (var w = new BinaryWriter(expected, System.Text.Encoding.UTF8, leaveOpen: true)) WriteShape(w);
                byte[] shape = r.ReadBytes((int)expected.Length);
                if (!shape.AsSpan().SequenceEqual(expected.ToArray())) throw Bad("it was saved by an estimator of another shape or options");
            }
            float[] x = ReadFloats(r, _x.Length), d = ReadFloats(r, _d.Length), s = ReadFloats(r, _s.Length);
            int[] ex = ReadInts(r, _k), ed = ReadInts(r, _k);
            double[] xNorm = ReadDoubles(r, _k), dNorm = ReadDoubles(r, _k);
            bool scalePending = r.ReadBoolean(), awaiting = r.ReadBoolean();
            int bufCount = r.ReadInt32(), batchCount = r.ReadInt32();
            float[] bufD = ReadFloats(r, _bufD.Length), bufX = ReadFloats(r, _bufX.Length), bufMd = ReadFloats(r, _bufMd.Length), bufMx = ReadFloats(r, _bufMx.Length);
            var rng = (r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64());
            if (stream.Position != stream.Length) throw Bad("it has trailing bytes");
            if (bufCount < 0 || bufCount >= Math.Max(_m, 1) || batchCount < 0) throw Bad($"its counts ({bufCount}, {batchCount}) are out of range");
            if (rng == (0UL, 0UL, 0UL, 0UL)) throw Bad("its random stream is all zero");
            foreach (var array in new[] { x, d, s, bufD, bufX, bufMd, bufMx })
                if (SbeCore.Kernels.Blas.IndexOfNonFinite(array) >= 0) throw Bad("it holds a non-finite value");
            foreach (double v in xNorm.Concat(dNorm)) if (!double.IsFinite(v)) throw Bad("it holds a non-finite norm");
            x.CopyTo(_x, 0); d.CopyTo(_d, 0); s.CopyTo(_s, 0); ex.CopyTo(_ex, 0); ed.CopyTo(_ed, 0);
            xNorm.CopyTo(_xNorm, 0); dNorm.CopyTo(_dNorm, 0);
            _scalePending = scalePending; _awaitingFirstSample = awaiting; _bufCount = bufCount; _batchCount = batchCount;
            bufD.CopyTo(_bufD, 0); bufX.CopyTo(_bufX, 0); bufMd.CopyTo(_bufMd, 0); bufMx.CopyTo(_bufMx, 0);
            _rng = Numerics.Xoshiro256.FromState(rng);
        }
        catch (EndOfStreamException) { throw Bad("it is truncated"); }
    }

    private void WriteShape(BinaryWriter w)
    {
        w.Write(Rows); w.Write(Cols); w.Write(_k); w.Write(_m); w.Write(_bits);
        w.Write(Options.DivisionFree); w.Write(Options.OjaRate); w.Write(Options.StochasticRounding);
        w.Write((int)Options.Magnitude); w.Write((int)Options.Initialization); w.Write(Options.WarmStart); w.Write(_seed);
    }

    private static ArgumentException Bad(string why) => new($"The estimator state cannot be loaded: {why}.", "state");

    private static void Floats(BinaryWriter w, float[] values) { foreach (float v in values) w.Write(v); }

    private static float[] ReadFloats(BinaryReader r, int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = r.ReadSingle(); return a; }

    private static int[] ReadInts(BinaryReader r, int n) { var a = new int[n]; for (int i = 0; i < n; i++) a[i] = r.ReadInt32(); return a; }

    private static double[] ReadDoubles(BinaryReader r, int n) { var a = new double[n]; for (int i = 0; i < n; i++) a[i] = r.ReadDouble(); return a; }
}
