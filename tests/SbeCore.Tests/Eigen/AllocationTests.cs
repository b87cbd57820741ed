using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class AllocationTests
{
    public static TheoryData<EstimatorOptions> Modes => new()
    {
        new EstimatorOptions(),
        new EstimatorOptions { Rank = 4, SubBatch = 3 },
        new EstimatorOptions { Rank = 2, SubBatch = 1 },
        new EstimatorOptions { DivisionFree = true },
        new EstimatorOptions { QuantizationBits = 6, StochasticRounding = true, Rank = 2, SubBatch = 2 },
        new EstimatorOptions { Magnitude = MagnitudeEstimate.Rayleigh, Initialization = InitialState.FirstSample },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void ObserveObserveBatchEstimateAllocateNothing(EstimatorOptions opts)
    {
        const int a = 20, b = 33, n = 10;
        var est = new SbeEstimator(a, b, opts, seed: 1);
        var (deltas, xs) = TestData.Gaussian(n, a, b, 2);
        var (s, d, x) = TestData.Outputs(opts.Rank, a, b);
        void Step()
        {
            est.ObserveBatch(deltas, xs, n);
            est.Observe(deltas.AsSpan(0, a), xs.AsSpan(0, b));
            est.Estimate(s, d, x);
            est.ReplayMagnitudes(deltas, xs, n, s);
        }
        Step();
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 5; i++) Step(); });
    }
}
