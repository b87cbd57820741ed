using SbeCore.Kernels;

namespace SbeCore.Tests.Kernels;

/// <summary>Block transposes at every width (the 4 x 4 register tiles and the element-by-element edges) against the
/// definition, inside a larger buffer whose tail stays untouched.</summary>
public class TransposeTests
{
    public static TheoryData<Width> Widths() => OperatorLayerWidthTests.Widths();

    [Theory]
    [MemberData(nameof(Widths))]
    public void BlocksAreTransposedAndNothingElseWritten(Width width)
    {
        foreach (var (a, b) in new[] { (1, 1), (3, 5), (4, 4), (5, 4), (4, 9), (26, 784), (151, 100), (6, 50), (7, 9) })
        {
            const int N = 2;
            var rng = new Random(a * 1000 + b);
            var from = new float[N * a * b];
            for (int i = 0; i < from.Length; i++) from[i] = (float)rng.NextDouble();
            var to = new float[N * a * b + 5];
            Array.Fill(to, -1f);
            using (SimdDispatch.Force((SimdWidth)(int)width)) Transpose.Blocks(from, N, a, b, to);
            for (int j = 0; j < N; j++)
                for (int i = 0; i < a; i++)
                    for (int q = 0; q < b; q++)
                        Assert.Equal(from[j * a * b + i * b + q], to[j * a * b + q * a + i]);
            for (int i = N * a * b; i < to.Length; i++) Assert.Equal(-1f, to[i]);
        }
    }
}
