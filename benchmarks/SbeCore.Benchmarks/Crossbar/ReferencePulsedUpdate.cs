using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// The straightforward implementation the bitset path is measured against: for each of BL time slots draw
/// every row's and column's firing, then visit every device and apply one ConstantStep pulse per coincidence
/// (noisy step, clipped). Same probabilities and step law as the tile; no bit masks, no aggregation.
/// </summary>
internal sealed class ReferencePulsedUpdate
{
    private readonly int _rows, _cols;
    private readonly float[] _weights, _scaleUp, _scaleDown, _wMin, _wMax;
    private readonly bool[] _rowFires, _colFires;
    private readonly float _dwMin, _std;
    private Xoshiro256 _rng;

    public ReferencePulsedUpdate(int rows, int cols, float dwMin, float std, ulong seed)
    {
        _rows = rows; _cols = cols; _dwMin = dwMin; _std = std;
        int n = rows * cols;
        _weights = new float[n]; _scaleUp = new float[n]; _scaleDown = new float[n]; _wMin = new float[n]; _wMax = new float[n];
        _rowFires = new bool[rows]; _colFires = new bool[cols];
        _rng = new Xoshiro256(seed);
        for (int k = 0; k < n; k++)
        {
            float gain = 1f + 0.3f * (float)_rng.NextGaussian();
            _scaleUp[k] = MathF.Abs(gain * dwMin); _scaleDown[k] = MathF.Abs(gain * dwMin);
            _wMax[k] = MathF.Abs(0.6f * (1f + 0.3f * (float)_rng.NextGaussian()));
            _wMin[k] = -MathF.Abs(0.6f * (1f + 0.3f * (float)_rng.NextGaussian()));
        }
    }

    /// <summary>W -= lr d x^T with BL slots and update management, pulse by pulse.</summary>
    public void Update(float lr, ReadOnlySpan<float> d, ReadOnlySpan<float> x, int bl)
    {
        float xMax = 0, dMax = 0;
        foreach (var v in x) xMax = MathF.Max(xMax, MathF.Abs(v));
        foreach (var v in d) dMax = MathF.Max(dMax, MathF.Abs(v));
        if (xMax == 0 || dMax == 0 || lr == 0) return;
        double a = Math.Sqrt(Math.Abs(lr) / ((double)_dwMin * bl)), b = a;
        double balance = Math.Sqrt(xMax / (double)dMax);
        a *= balance; b /= balance;
        for (int t = 0; t < bl; t++)
        {
            for (int j = 0; j < _cols; j++) _colFires[j] = _rng.NextSingle() < b * Math.Abs(x[j]);
            for (int i = 0; i < _rows; i++) _rowFires[i] = _rng.NextSingle() < a * Math.Abs(d[i]);
            for (int i = 0; i < _rows; i++)
            {
                if (!_rowFires[i]) continue;
                for (int j = 0; j < _cols; j++)
                {
                    if (!_colFires[j]) continue;
                    int k = i * _cols + j;
                    int direction = -Math.Sign(lr) * Math.Sign(d[i]) * Math.Sign(x[j]);
                    float step = (direction > 0 ? _scaleUp[k] : _scaleDown[k]) * (1f + _std * (float)_rng.NextGaussian());
                    _weights[k] = Math.Clamp(_weights[k] + direction * step, _wMin[k], _wMax[k]);
                }
            }
        }
    }
}
