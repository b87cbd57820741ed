using FsCheck.Xunit;

namespace SbeCore.PropertyTests.Kernels;

[Properties(Arbitrary = [typeof(KernelArbitraries)], MaxTest = 150)]
public class KernelProperties
{
    private const double U = Widths.U;

    [Property]
    public bool GemvAndGemvTAreAdjoint(MatrixCase c)
    {
        // <W x, d> = <x, W^T d>: each side in double from the float kernel outputs; the gap is bounded by the
        // rounding of both products, (rows + cols + 2) u sum |w_rc x_c d_r|.
        double scale = 0;
        for (int r = 0; r < c.Rows; r++)
            for (int j = 0; j < c.Cols; j++) scale += Math.Abs((double)c.W[r * c.Stride + j] * c.X[j] * c.D[r]);
        double tol = 1.01 * (c.Rows + c.Cols + 2) * U * scale + 1e-30;
        foreach (int w in Widths.Supported())
        {
            var y = new float[c.Rows];
            var z = new float[c.Cols];
            Widths.Gemv(w, c, c.X, y);
            Widths.GemvT(w, c, c.D, z);
            double lhs = 0, rhs = 0;
            for (int r = 0; r < c.Rows; r++) lhs += (double)y[r] * c.D[r];
            for (int j = 0; j < c.Cols; j++) rhs += (double)c.X[j] * z[j];
            if (!(Math.Abs(lhs - rhs) <= tol)) return false;
        }
        return true;
    }

    [Property]
    public bool GerIsLinearInAlpha(MatrixCase c)
    {
        // Ger(alpha) then Ger(beta) equals Ger(alpha + beta), up to the rounding of three float additions.
        foreach (int w in Widths.Supported())
        {
            float[] twoSteps = (float[])c.W.Clone(), oneStep = (float[])c.W.Clone();
            Widths.Ger(w, c.Alpha, c.D, c.X, twoSteps, c);
            Widths.Ger(w, c.Beta, c.D, c.X, twoSteps, c);
            Widths.Ger(w, c.Alpha + c.Beta, c.D, c.X, oneStep, c);
            bool ok = Widths.CellsClose(c, twoSteps,
                (r, j) => oneStep[r * c.Stride + j],
                (r, j) => 6 * U * (Math.Abs(c.W[r * c.Stride + j]) + (Math.Abs(c.Alpha) + Math.Abs(c.Beta)) * Math.Abs((double)c.D[r] * c.X[j])) + 1e-30);
            if (!ok) return false;
        }
        return true;
    }

    [Property]
    public bool GerThenGerWithMinusAlphaRestoresW(MatrixCase c)
    {
        foreach (int w in Widths.Supported())
        {
            float[] m = (float[])c.W.Clone();
            Widths.Ger(w, c.Alpha, c.D, c.X, m, c);
            Widths.Ger(w, -c.Alpha, c.D, c.X, m, c);
            bool ok = Widths.CellsClose(c, m,
                (r, j) => c.W[r * c.Stride + j],
                (r, j) => 3 * U * (Math.Abs(c.W[r * c.Stride + j]) + Math.Abs((double)c.Alpha * c.D[r] * c.X[j])) + 1e-30);
            if (!ok) return false;
            // the stride gaps are never written
            for (int i = 0; i < m.Length; i++)
                if (i % c.Stride >= c.Cols && m[i] != c.W[i]) return false;
        }
        return true;
    }

    [Property]
    public bool RankKEqualsKGerCallsBitForBit(MatrixCase c)
    {
        foreach (int w in Widths.Supported())
        {
            float[] fused = (float[])c.W.Clone(), steps = (float[])c.W.Clone();
            Widths.RankK(w, c, fused);
            for (int t = 0; t < c.K; t++)
                Widths.Ger(w, c.S[t], c.U.AsSpan(t * c.Rows, c.Rows), c.V.AsSpan(t * c.Cols, c.Cols), steps, c);
            for (int i = 0; i < fused.Length; i++)
                if (BitConverter.SingleToInt32Bits(fused[i]) != BitConverter.SingleToInt32Bits(steps[i])) return false;
        }
        return true;
    }

    [Property]
    public bool AllWidthsAgreeOnDotGemvGemvTAndBatchRead(MatrixCase c)
    {
        // Every width against the scalar path, within twice the rounding bound of each sum.
        var yRef = new float[c.Rows];
        var zRef = new float[c.Cols];
        var bRef = new float[c.N * c.Rows];
        Widths.Gemv(0, c, c.X, yRef);
        Widths.GemvT(0, c, c.D, zRef);
        Widths.BatchRead(0, c, bRef);
        float dotRef = Widths.Dot(0, c.X, c.X);
        foreach (int w in Widths.Supported())
        {
            double dotTol = 2 * (c.Cols + 1) * U * c.X.Sum(v => (double)v * v) + 1e-30;
            if (!(Math.Abs(Widths.Dot(w, c.X, c.X) - dotRef) <= dotTol)) return false;
            var y = new float[c.Rows];
            var z = new float[c.Cols];
            var b = new float[c.N * c.Rows];
            Widths.Gemv(w, c, c.X, y);
            Widths.GemvT(w, c, c.D, z);
            Widths.BatchRead(w, c, b);
            for (int r = 0; r < c.Rows; r++)
            {
                double s = 0;
                for (int j = 0; j < c.Cols; j++) s += Math.Abs((double)c.W[r * c.Stride + j] * c.X[j]);
                if (!(Math.Abs(y[r] - yRef[r]) <= 2 * (c.Cols + 1) * U * s + 1e-30)) return false;
                for (int i = 0; i < c.N; i++)
                {
                    double si = 0;
                    for (int j = 0; j < c.Cols; j++) si += Math.Abs((double)c.W[r * c.Stride + j] * c.Xs[i * c.Cols + j]);
                    if (!(Math.Abs(b[i * c.Rows + r] - bRef[i * c.Rows + r]) <= 2 * (c.Cols + 1) * U * si + 1e-30)) return false;
                }
            }
            for (int j = 0; j < c.Cols; j++)
            {
                double s = 0;
                for (int r = 0; r < c.Rows; r++) s += Math.Abs((double)c.W[r * c.Stride + j] * c.D[r]);
                if (!(Math.Abs(z[j] - zRef[j]) <= 2 * (c.Rows + 1) * U * s + 1e-30)) return false;
            }
        }
        return true;
    }
}
