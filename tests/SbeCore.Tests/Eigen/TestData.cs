using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

internal static class TestData
{
    public static (float[] deltas, float[] xs) Gaussian(int n, int rows, int cols, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var deltas = new float[n * rows]; var xs = new float[n * cols];
        rng.FillGaussian(deltas); rng.FillGaussian(xs);
        return (deltas, xs);
    }

    public static (float[] s, float[] d, float[] x) Outputs(int k, int rows, int cols) => (new float[k], new float[k * rows], new float[k * cols]);
}
