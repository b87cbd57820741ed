namespace SbeCore.Tests.Eigen;

/// <summary>A top-k result (s, unit d rows, unit x rows) against the dense SVD of the batch's mean gradient.</summary>
internal static class TopKAssert
{
    /// <summary>Values within valueTolerance * s_0 and in descending order; vectors within vectorTolerance / gap (their
    /// accuracy scales with the inverse spectral gap) with paired signs; both sets orthonormal.</summary>
    public static void MatchesDenseSvd(float[] deltas, float[] xs, int n, int a, int b, float[] s, float[] d, float[] x,
        double valueTolerance, double vectorTolerance)
    {
        int k = s.Length;
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, a, b));
        double s0 = svd.S[0];
        for (int c = 0; c < k; c++)
        {
            Assert.True(Math.Abs(svd.S[c] - s[c]) <= valueTolerance * s0, $"pair {c}: s = {s[c]}, dense {svd.S[c]}");
            if (c > 0) Assert.True(s[c] <= s[c - 1], $"pair {c}: values not descending");
            double below = c + 1 < svd.S.Count ? svd.S[c + 1] : 0;
            double gap = Math.Min(svd.S[c] - below, c > 0 ? svd.S[c - 1] - svd.S[c] : double.MaxValue) / s0;
            double tol = vectorTolerance / Math.Max(gap, 1e-3);
            double cu = Oracle.Cosine(d.AsSpan(c * a, a), svd.U.Column(c));
            double cv = Oracle.Cosine(x.AsSpan(c * b, b), svd.VT.Row(c));
            Assert.True(1 - Math.Abs(cu) < tol, $"pair {c}: 1-|cos u| = {1 - Math.Abs(cu)}");
            Assert.True(1 - Math.Abs(cv) < tol, $"pair {c}: 1-|cos v| = {1 - Math.Abs(cv)}");
            Assert.True(cu * cv > 0, "s d x^T must equal sigma u v^T (paired signs)");
        }
        RankKTests.AssertOrthonormal(d, k, a);
        RankKTests.AssertOrthonormal(x, k, b);
    }
}
