using System.Runtime.ExceptionServices;

namespace SbeCore.Kernels;

/// <summary>
/// A fixed set of background threads that run the parts of one job at a time: part 0 on the caller, parts 1..n-1
/// on workers 1..n-1, then the caller waits for them. Nothing is allocated per job (the body is a delegate the caller
/// caches; each worker waits on its own event); threads are started the first time a job needs them and live for
/// the process. One job runs at a time: a job submitted while another runs (another tile on another thread) runs all
/// its parts on its caller, which is why callers must give results that do not depend on which thread ran a part.
/// Workers run under the caller's forced SIMD width (<see cref="SimdDispatch.Forced"/>).
/// </summary>
internal sealed class WorkerPool
{
    /// <summary>The process's pool.</summary>
    public static WorkerPool Shared { get; } = new();

    /// <summary>Most parts a job may have (more threads than this is not a sensible setting on any machine we run).</summary>
    public const int MaxParts = 64;

    private readonly object _grow = new();
    private Worker[] _workers = [];
    private int _busy;
    private Action<int>? _body;
    private SimdWidth? _width;
    private int _pending;
    private ExceptionDispatchInfo? _failure;
    // Both waits spin before they block: the jobs of one training step come microseconds apart, and a worker woken from
    // a blocking wait took longer than a small read it was to share (a training step on 2 threads measured slower than
    // on 1 with the default spin).
    private readonly ManualResetEventSlim _done = SpinningEvent();

    /// <summary>Spins a wait takes before it blocks (the most <see cref="ManualResetEventSlim"/> allows).</summary>
    private const int SpinCount = 2047;

    /// <summary>An unset event that spins before it blocks. ManualResetEventSlim creates its lock object (24 bytes) on the
    /// first wait that blocks; one timed-out wait here makes that happen now, not inside whichever job first waits long
    /// (a split read's allocation test saw the 24 bytes in 2 of 6 runs without hardware intrinsics).</summary>
    private static ManualResetEventSlim SpinningEvent()
    {
        var e = new ManualResetEventSlim(false, SpinCount);
        e.Wait(1);
        return e;
    }

    /// <summary>Parts run on worker threads so far, over the process (tests: a split job really ran in parallel).</summary>
    public long PartsOnWorkers => Interlocked.Read(ref _partsOnWorkers);
    private long _partsOnWorkers;

    /// <summary>Runs body(0) .. body(parts - 1), each once, and returns when all have finished; rethrows the first failure.
    /// Returns the bytes the workers allocated while running this job's parts (parts run on the caller are the caller's
    /// to measure), so an owner can prove its jobs allocate nothing while other jobs share the pool.</summary>
    public long Run(Action<int> body, int parts)
    {
        if (parts < 1 || parts > MaxParts) throw new ArgumentException($"A job has 1 to {MaxParts} parts, not {parts}.", nameof(parts));
        if (parts == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) body(p);
            return 0;
        }
        try
        {
            EnsureWorkers(parts - 1);
            _body = body; _width = SimdDispatch.Forced; _failure = null;
            _pending = parts - 1;
            _jobAllocated = 0;
            _done.Reset();
            for (int p = 1; p < parts; p++) _workers[p - 1].Start(p);
            try { body(0); }
            finally { _done.Wait(); }
            _body = null;
            _failure?.Throw();
            return Interlocked.Read(ref _jobAllocated);
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private long _jobAllocated;

    private void EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return;
        lock (_grow)
        {
            var grown = new Worker[count];
            _workers.CopyTo(grown, 0);
            for (int w = _workers.Length; w < count; w++) grown[w] = new Worker(this, w + 1);
            _workers = grown;
        }
    }

    private void RunPart(int part)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using (SimdDispatch.Adopt(_width)) _body!(part);
        }
        catch (Exception e) { Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null); }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Interlocked.Add(ref _jobAllocated, allocated);
        Interlocked.Increment(ref _partsOnWorkers);
        if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
    }

    private sealed class Worker
    {
        private readonly WorkerPool _pool;
        private readonly ManualResetEventSlim _go = SpinningEvent();
        private int _part;

        public Worker(WorkerPool pool, int index)
        {
            _pool = pool;
            new Thread(Loop) { IsBackground = true, Name = $"SbeCore worker {index}" }.Start();
        }

        public void Start(int part)
        {
            _part = part;
            _go.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                _pool.RunPart(_part);
            }
        }
    }
}
