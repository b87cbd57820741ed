using FsCheck;
using FsCheck.Fluent;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.PropertyTests.Eigen;

/// <summary>A random estimator configuration and stream: sizes, rank, sub-batch, mode, batch sizes, the data's
/// scale (1e-3..1e3) and a share of all-zero samples; the data itself is drawn from DataSeed.</summary>
public sealed record EstimatorCase(int Rows, int Cols, int Rank, int SubBatch, int Mode, int[] BatchSizes, int ScaleExponent, int ZeroEvery, ulong DataSeed, ulong Seed)
{
    public EstimatorOptions Options => Mode switch
    {
        1 => new EstimatorOptions { Rank = Rank, SubBatch = SubBatch, QuantizationBits = 8 },
        2 => new EstimatorOptions { Rank = Rank, SubBatch = SubBatch, QuantizationBits = 6, StochasticRounding = true },
        3 => new EstimatorOptions { Rank = Rank, SubBatch = SubBatch, Initialization = InitialState.FirstSample },
        4 => new EstimatorOptions { DivisionFree = true },
        _ => new EstimatorOptions { Rank = Rank, SubBatch = SubBatch },
    };

    public SbeEstimator Create() => new(Rows, Cols, Options, Seed);

    public (float[] deltas, float[] xs) Batch(int index)
    {
        int n = BatchSizes[index];
        var rng = new Xoshiro256(DataSeed + (ulong)index * 7919);
        var deltas = new float[n * Rows]; var xs = new float[n * Cols];
        double scale = Math.Pow(10, ScaleExponent);
        rng.FillGaussian(deltas, scale); rng.FillGaussian(xs, scale);
        if (ZeroEvery > 0)
            for (int j = 0; j < n; j += ZeroEvery) deltas.AsSpan(j * Rows, Rows).Clear();
        return (deltas, xs);
    }

    public override string ToString() =>
        $"{Rows}x{Cols} k={Rank} m={SubBatch} mode={Mode} batches=[{string.Join(",", BatchSizes)}] scale=1e{ScaleExponent} zeroEvery={ZeroEvery} seeds={DataSeed},{Seed}";
}

public static class EigenArbitraries
{
    public static Arbitrary<EstimatorCase> Cases() => Arb.From(
        from rows in Gen.Choose(1, 12)
        from cols in Gen.Choose(1, 40)
        from rank in Gen.Choose(1, Math.Min(rows, cols))
        from mode in Gen.Choose(0, 4)
        from subBatch in Gen.Choose(1, 6)
        from batches in Gen.Choose(0, 25).ArrayOf(3)
        from scale in Gen.Choose(-3, 3)
        from zeroEvery in Gen.Choose(0, 4)
        from dataSeed in Gen.Choose(0, int.MaxValue)
        from seed in Gen.Choose(0, int.MaxValue)
                // the division-free form is stable only for xi |delta| |x| << 1: keep its data small
        select new EstimatorCase(rows, cols, mode == 4 ? 1 : rank, mode == 4 ? 1 : subBatch, mode, batches, mode == 4 ? Math.Min(scale, -1) : scale, zeroEvery, (ulong)dataSeed, (ulong)seed));
}
