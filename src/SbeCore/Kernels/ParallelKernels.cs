namespace SbeCore.Kernels;

/// <summary>
/// The batched reads, the rank-k update and the scaled matrix add split over threads by blocks of their output (rows
/// of W for a read and an update, columns for a transposed read; a read of a matrix too small to split that way splits
/// by blocks of <see cref="SampleQuantum"/> inputs). Each block runs the single-thread kernel's
/// operations on its outputs (blocks start on multiples of <see cref="RowQuantum"/> rows or <see cref="ColumnQuantum"/>
/// columns, so the kernels tile every output as the whole call does), so the result has the same bits for any thread
/// count. One instance per owner (a tile, a rule): a job's arguments live in its fields while the parts run.
/// </summary>
internal sealed unsafe class ParallelKernels
{
    /// <summary>Rows per block unit: a multiple of the read's 4-row register tiles and of a 64-byte line of outputs.</summary>
    public const int RowQuantum = 16;

    /// <summary>Columns per block unit of the transposed read: a multiple of its widest strip (4 vectors of 16 floats),
    /// so no block is narrower than a vector and no block's overlapping tail reaches into another's outputs.</summary>
    public const int ColumnQuantum = 64;

    /// <summary>Inputs per block unit when a read splits by inputs (a matrix with too few rows or columns to split, e.g. a
    /// convolution's few channels over many positions): a multiple of the 4-input register tiles.</summary>
    public const int SampleQuantum = 16;

    /// <summary>Rows of a convolution's gradient per block unit: its rows are the batched read's inputs, which sum in the
    /// register tiles' order in groups of 4 and in a single dot's order past them, so blocks keep the groups.</summary>
    public const int PairRowQuantum = 4;

    private enum Job { Read, ReadTransposed, ReadSamples, ReadTransposedSamples, RankK, AddScaled, BlockProducts, AbsMaxRows, PairColumnSums }

    private readonly Action<int> _body;
    private Job _job;
    // The call in flight: W, its input (x, d, u or g), the rank-k update's s and v, the read's output.
    private float* _w, _in, _s, _v, _out;
    private int _wLength, _inLength, _sLength, _vLength, _outLength;
    private int _rows, _cols, _stride, _n, _inStride;
    private float _alpha;
    private bool _clearFirst;
    private int _per, _parts, _extent;

    private readonly WorkerPool _pool;
    private readonly float[] _partMax = new float[WorkerPool.MaxParts]; // AbsMaxRows: each block's maximum

    public ParallelKernels() : this(WorkerPool.Shared) { }

    /// <summary>Tests: kernels whose jobs run on their own pool.</summary>
    internal ParallelKernels(WorkerPool pool)
    {
        _pool = pool;
        _body = RunPart;
    }

    /// <summary>Tests: multiply-adds per thread below which a call is not split (<see cref="ParallelTuning.MinMultiplyAddsPerThread"/>).</summary>
    public long MinWorkPerThread { get; set; } = ParallelTuning.MinMultiplyAddsPerThread;

    /// <summary>Tests: elements per thread below which a scan is not split (<see cref="ParallelTuning.MinScannedPerThread"/>).</summary>
    public long MinScannedPerThread { get; set; } = ParallelTuning.MinScannedPerThread;

    /// <summary><see cref="Blas.BatchRead"/> over up to <paramref name="threads"/> threads (arguments as checked there).</summary>
    public void BatchRead(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y, int threads)
    {
        Blas.CheckBatchRead(w, rows, cols, stride, x, n, y);
        long work = (long)rows * cols * n;
        Job job = Split(threads, work, rows, RowQuantum) ? Job.Read : Split(threads, work, n, SampleQuantum) ? Job.ReadSamples : default;
        if (LastParts == 1) { Blas.BatchReadRowBlock(w, rows, cols, stride, x, n, y, 0, rows); return; } // checked above
        fixed (float* pw = w, px = x, py = y)
        {
            _out = py; _outLength = y.Length;
            Run(job, pw, w.Length, px, x.Length, rows, cols, stride, n);
        }
    }

    /// <summary><see cref="Blas.BatchReadTransposed"/> over up to <paramref name="threads"/> threads.</summary>
    public void BatchReadTransposed(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z, int threads)
    {
        Blas.CheckBatchReadTransposed(w, rows, cols, stride, d, n, z);
        long work = (long)rows * cols * n;
        Job job = Split(threads, work, cols, ColumnQuantum) ? Job.ReadTransposed : Split(threads, work, n, SampleQuantum) ? Job.ReadTransposedSamples : default;
        if (LastParts == 1) { Blas.BatchReadTransposedColumnBlock(w, rows, cols, stride, d, n, z, 0, cols); return; }
        fixed (float* pw = w, pd = d, pz = z)
        {
            _out = pz; _outLength = z.Length;
            Run(job, pw, w.Length, pd, d.Length, rows, cols, stride, n);
        }
    }

    /// <summary>For each of <paramref name="n"/> blocks, z_j (m x cols) = D (m x rows) B_j (rows x cols), the blocks of B
    /// and of z one after another (a convolution's column reads: D is W or W^T, B_j a sample's columns). Each product is
    /// the single-thread transposed read's, so splitting the blocks over threads gives the same bits for any count.</summary>
    public void BlockProducts(ReadOnlySpan<float> d, int m, ReadOnlySpan<float> b, int rows, int cols, int n, Span<float> z, int threads)
    {
        long block = (long)rows * cols, outBlock = (long)m * cols;
        BlasThrow.CheckAtLeast(nameof(d), d.Length, (long)m * rows, "m x rows");
        BlasThrow.CheckAtLeast(nameof(b), b.Length, n * block, "n x rows x cols");
        BlasThrow.CheckAtLeast(nameof(z), z.Length, n * outBlock, "n x m x cols");
        Span<float> used = z.Slice(0, (int)(n * outBlock));
        BlasThrow.CheckNoOverlap(used, nameof(z), d.Slice(0, m * rows), nameof(d));
        BlasThrow.CheckNoOverlap(used, nameof(z), b.Slice(0, (int)(n * block)), nameof(b));
        if (!Split(threads, m * block * n, n, 1)) { Products(d, m, b, rows, cols, z, 0, n); return; }
        fixed (float* pd = d, pb = b, pz = z)
        {
            _out = pz; _outLength = z.Length;
            Run(Job.BlockProducts, pb, b.Length, pd, d.Length, rows, cols, m, n);
        }
    }

    /// <summary>
    /// g (rows x cols at gStride) += weight sum_j D_j X_j^T for n samples of P pairs given as columns (D_j: rows x P,
    /// X_j: cols x P; a convolution's mini-batch gradient), sample by sample in order, each sample's product into
    /// <paramref name="sample"/> (rows x cols) first. Split by rows of g over up to <paramref name="threads"/> threads:
    /// each row is one batched read's outputs (whose bits do not depend on which inputs share the call) and one axpy
    /// per sample, so the same bits for any count. Arguments as the caller checked them.
    /// </summary>
    public void PairColumnSums(ReadOnlySpan<float> deltaColumns, ReadOnlySpan<float> inputColumns, int n, int positions, int rows, int cols,
                               float weight, Span<float> sample, Span<float> g, int gStride, int threads)
    {
        if (!Split(threads, (long)n * positions * rows * cols, rows, PairRowQuantum, MinPairSumsPerThread))
        {
            PairColumnSumRows(deltaColumns, inputColumns, n, positions, rows, cols, weight, sample, g, gStride, 0, rows);
            return;
        }
        fixed (float* pd = deltaColumns, px = inputColumns, ps = sample, pg = g)
        {
            _s = ps; _sLength = sample.Length; _out = pg; _outLength = g.Length; _alpha = weight; _inStride = positions;
            Run(Job.PairColumnSums, px, inputColumns.Length, pd, deltaColumns.Length, rows, cols, gStride, n);
        }
    }

    /// <summary>Tests: multiply-adds per thread below which <see cref="PairColumnSums"/> is not split.</summary>
    public long MinPairSumsPerThread { get; set; } = ParallelTuning.MinPairSumsPerThread;

    private static void PairColumnSumRows(ReadOnlySpan<float> deltaColumns, ReadOnlySpan<float> inputColumns, int n, int positions, int allRows, int cols,
                                          float weight, Span<float> sample, Span<float> g, int gStride, int r0, int r1)
    {
        int rows = r1 - r0;
        Span<float> mine = sample.Slice(r0 * cols, rows * cols);
        for (int j = 0; j < n; j++)
        {
            Blas.BatchReadRowBlock(inputColumns.Slice(j * cols * positions, cols * positions), cols, positions, positions,
                                   deltaColumns.Slice((j * allRows + r0) * positions, rows * positions), rows, mine, 0, cols);
            for (int r = 0; r < rows; r++) Blas.Axpy(weight, mine.Slice(r * cols, cols), g.Slice((r0 + r) * gStride, cols));
        }
    }

    private static void Products(ReadOnlySpan<float> d, int m, ReadOnlySpan<float> b, int rows, int cols, Span<float> z, int j0, int j1)
    {
        for (int j = j0; j < j1; j++)
            Blas.BatchReadTransposedColumnBlock(b.Slice(j * rows * cols, rows * cols), rows, cols, cols, d, m, z.Slice(j * m * cols, m * cols), 0, cols);
    }

    /// <summary><see cref="Blas.RankK"/> (W += U diag(s) V^T, u k x rows, v k x cols) over up to <paramref name="threads"/>
    /// threads; with <paramref name="clearFirst"/> each block first sets its rows of W to 0 (W = U diag(s) V^T, the same
    /// bits as clearing W and then adding).</summary>
    public void RankK(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride, int threads, bool clearFirst = false)
    {
        Blas.CheckRankK(u, s, v, w, rows, cols, stride);
        if (!Split(threads, (long)rows * cols * s.Length, rows, RowQuantum))
        {
            if (clearFirst) ClearRows(w, cols, stride, 0, rows);
            Blas.RankKRowBlock(u, s, v, w, rows, cols, stride, 0, rows);
            return;
        }
        fixed (float* pu = u, ps = s, pv = v, pw = w)
        {
            _s = ps; _sLength = s.Length; _v = pv; _vLength = v.Length; _clearFirst = clearFirst;
            Run(Job.RankK, pw, w.Length, pu, u.Length, rows, cols, stride, s.Length);
        }
    }

    /// <summary>Row r of W (at <paramref name="stride"/>) += alpha times row r of G (at <paramref name="gStride"/>), rows split
    /// over up to <paramref name="threads"/> threads; each row is one <see cref="Blas.Axpy"/>.</summary>
    public void AddScaled(float alpha, ReadOnlySpan<float> g, int gStride, Span<float> w, int rows, int cols, int stride, int threads)
    {
        BlasThrow.CheckMatrix(nameof(g), g.Length, rows, cols, gStride);
        BlasThrow.CheckMatrix(nameof(w), w.Length, rows, cols, stride);
        // One multiply-add per element: a streaming pass, split like a scan (on the row blocks that computed G, when a
        // mini-batch rule's RankK did).
        if (!Split(threads, (long)rows * cols, rows, RowQuantum, MinScannedPerThread)) { AddRows(alpha, g, gStride, w, cols, stride, 0, rows); return; }
        fixed (float* pg = g, pw = w)
        {
            _alpha = alpha; _inStride = gStride;
            Run(Job.AddScaled, pw, w.Length, pg, g.Length, rows, cols, stride, 0);
        }
    }

    /// <summary>max over rows r of <see cref="SimdReduce.AbsMax"/>(row r of G at <paramref name="stride"/>): the largest
    /// magnitude, or NaN when G holds a NaN or an infinity; rows split over up to <paramref name="threads"/> threads when
    /// each gets at least <see cref="ParallelTuning.MinScannedPerThread"/> elements (a maximum is order-free: the same
    /// value for any split). A dense write's one check of its gradient before anything is written.</summary>
    public float AbsMaxRows(ReadOnlySpan<float> g, int rows, int cols, int stride, int threads)
    {
        BlasThrow.CheckMatrix(nameof(g), g.Length, rows, cols, stride);
        if (!Split(threads, (long)rows * cols, rows, RowQuantum, MinScannedPerThread)) return MaxOfRows(g, cols, stride, 0, rows);
        fixed (float* pg = g)
        {
            Run(Job.AbsMaxRows, pg, g.Length, pg, g.Length, rows, cols, stride, 0);
        }
        float max = 0;
        for (int p = 0; p < _parts; p++)
        {
            if (float.IsNaN(_partMax[p])) return float.NaN;
            max = MathF.Max(max, _partMax[p]);
        }
        return max;
    }

    private static float MaxOfRows(ReadOnlySpan<float> g, int cols, int stride, int r0, int r1)
    {
        float max = 0;
        for (int r = r0; r < r1; r++)
        {
            float m = SimdReduce.AbsMax(g.Slice(r * stride, cols));
            if (float.IsNaN(m)) return float.NaN;
            max = MathF.Max(max, m);
        }
        return max;
    }

    private static void ClearRows(Span<float> w, int cols, int stride, int r0, int r1)
    {
        if (stride == cols) w.Slice(r0 * stride, (r1 - r0) * stride).Clear();
        else for (int r = r0; r < r1; r++) w.Slice(r * stride, cols).Clear();
    }

    private static void AddRows(float alpha, ReadOnlySpan<float> g, int gStride, Span<float> w, int cols, int stride, int r0, int r1)
    {
        for (int r = r0; r < r1; r++) Blas.Axpy(alpha, g.Slice(r * gStride, cols), w.Slice(r * stride, cols));
    }

    /// <summary>Bytes the worker threads allocated running this instance's blocks (tests: steady state allocates nothing).</summary>
    public long WorkerAllocatedBytes { get; private set; }

    /// <summary>Blocks the last call ran in (1: not split).</summary>
    public int LastParts { get; private set; }

    // Whether the work pays for more than one thread; if so sets the block size (_per quanta; the last block takes the
    // remainder, so no block is smaller than one quantum).
    private bool Split(int threads, long work, int extent, int quantum) => Split(threads, work, extent, quantum, MinWorkPerThread);

    private bool Split(int threads, long work, int extent, int quantum, long minPerThread)
    {
        LastParts = 1;
        int units = extent / quantum;
        long byWork = work / Math.Max(1, minPerThread);
        int parts = (int)Math.Min(Math.Min(threads, byWork), units);
        if (parts <= 1) return false;
        _per = (units + parts - 1) / parts * quantum;
        _parts = (extent - 1) / _per + 1;
        if (extent - (_parts - 1) * _per < quantum) _parts--; // a short last block joins the one before
        _extent = extent;
        LastParts = _parts;
        return _parts > 1;
    }

    private void Run(Job job, float* w, int wLength, float* input, int inLength, int rows, int cols, int stride, int n)
    {
        _job = job;
        _w = w; _wLength = wLength; _in = input; _inLength = inLength;
        _rows = rows; _cols = cols; _stride = stride; _n = n;
        try { WorkerAllocatedBytes += _pool.Run(_body, _parts); }
        finally { _w = _in = _s = _v = _out = null; }
    }

    private void RunPart(int part)
    {
        int start = part * _per, end = part == _parts - 1 ? _extent : start + _per;
        var w = new Span<float>(_w, _wLength);
        var input = new ReadOnlySpan<float>(_in, _inLength);
        switch (_job)
        {
            case Job.Read:
                Blas.BatchReadRowBlock(w, _rows, _cols, _stride, input, _n, new Span<float>(_out, _outLength), start, end);
                break;
            case Job.ReadTransposed:
                Blas.BatchReadTransposedColumnBlock(w, _rows, _cols, _stride, input, _n, new Span<float>(_out, _outLength), start, end);
                break;
            case Job.ReadSamples:
                Blas.BatchReadRowBlock(w, _rows, _cols, _stride, input.Slice(start * _cols, (end - start) * _cols), end - start,
                                       new Span<float>(_out + (long)start * _rows, (end - start) * _rows), 0, _rows);
                break;
            case Job.ReadTransposedSamples:
                Blas.BatchReadTransposedColumnBlock(w, _rows, _cols, _stride, input.Slice(start * _rows, (end - start) * _rows), end - start,
                                                    new Span<float>(_out + (long)start * _cols, (end - start) * _cols), 0, _cols);
                break;
            case Job.RankK:
                if (_clearFirst) ClearRows(w, _cols, _stride, start, end);
                Blas.RankKRowBlock(input, new ReadOnlySpan<float>(_s, _sLength), new ReadOnlySpan<float>(_v, _vLength), w, _rows, _cols, _stride, start, end);
                break;
            case Job.AbsMaxRows:
                _partMax[part] = MaxOfRows(w, _cols, _stride, start, end);
                break;
            case Job.PairColumnSums: // W holds the input columns, the input the delta columns, _s the per-sample products
                PairColumnSumRows(input, w, _n, _inStride, _rows, _cols, _alpha, new Span<float>(_s, _sLength), new Span<float>(_out, _outLength), _stride, start, end);
                break;
            case Job.BlockProducts: // W holds the blocks B_j, the input D, _stride its m rows
                Products(input, _stride, w, _rows, _cols, new Span<float>(_out, _outLength), start, end);
                break;
            default:
                AddRows(_alpha, input, _inStride, w, _cols, _stride, start, end);
                break;
        }
    }
}

/// <summary>When a kernel call pays for a second thread (measured on the 2-core Zen 4 this project benchmarks on).</summary>
internal static class ParallelTuning
{
    /// <summary>
    /// Multiply-adds each thread must get before a read or an update is split (2^22). Waking a worker costs about a
    /// microsecond, but a split moves the call's operands to the other core and its results back: a 100 x 785 read of
    /// 64 inputs (5 M multiply-adds) ran 1.5x faster on 2 threads alone, yet the 784-100-10 training step whose reads and
    /// gradient split at 2^18 ran 1.2x slower on 2 threads than on 1 (BenchmarkDotNet, NetworkThreadScalingBenchmarks).
    /// </summary>
    public const long MinMultiplyAddsPerThread = 1 << 22;

    /// <summary>Elements each thread must get before a streaming pass (a check scan, a scaled add) is split (2^17: half a
    /// MB). A pass over a matrix the threads have just written by the same row blocks (a mini-batch gradient) reads each
    /// half from the core that wrote it.</summary>
    public const long MinScannedPerThread = 1 << 17;

    /// <summary>Multiply-adds each thread must get before a convolution's mini-batch gradient is split by its rows
    /// (2^20): a quarter of the reads' threshold, as both threads read all of the layer's unfolded inputs anyway and the
    /// blocks are few (LeNet-5's second layer, 16 x 151 over 6,400 pairs: 15 M).</summary>
    public const long MinPairSumsPerThread = 1 << 20;
}
