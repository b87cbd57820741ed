namespace SbeCore.Experiments;

/// <summary>What one finished sweep cell recorded (the content of its result file).</summary>
public sealed record CellResult
{
    /// <summary>Format version of the file.</summary>
    public int Version { get; init; } = 1;
    /// <summary>Written last-but-not-least: a file without it is never taken for a finished cell.</summary>
    public bool Complete { get; init; }
    /// <summary><see cref="SweepCell.Key"/>; must match the file name.</summary>
    public string Key { get; init; } = "";
    /// <summary>sgd, minibatch, svd-k or sbe-k.</summary>
    public string Method { get; init; } = "";
    /// <summary>k (1 for sgd and minibatch).</summary>
    public int Rank { get; init; }
    /// <summary>Samples per update.</summary>
    public int BatchSize { get; init; }
    /// <summary>Device preset (see <see cref="DeviceCatalog"/>).</summary>
    public string Device { get; init; } = "";
    /// <summary>Seed of weights, devices, estimators and data order.</summary>
    public ulong Seed { get; init; }
    /// <summary>Constant learning rate used.</summary>
    public float LearningRate { get; init; }
    /// <summary>Where the learning rate came from: tuned, fallback (untuned default) or fixed (given on the command line).</summary>
    public string LearningRateSource { get; init; } = "";
    /// <summary>Training data set name and size.</summary>
    public string Data { get; init; } = "";
    /// <summary>Training samples.</summary>
    public int TrainCount { get; init; }
    /// <summary>Layer sizes, input first, then every weight layer's outputs (a convolution's: its output channels).</summary>
    public int[] Layers { get; init; } = [];
    /// <summary>The architecture text of a layered network (e.g. lenet5); null for the MLP of <see cref="Layers"/> (and in
    /// every cell written before architectures existed).</summary>
    public string? Architecture { get; init; }
    /// <summary>The network's name: the architecture text, else the layer sizes joined by '-' (784-100-10).</summary>
    public string NetworkName => Architecture ?? string.Join('-', Layers ?? []);
    /// <summary>relu or sigmoid.</summary>
    public string Activation { get; init; } = "";
    /// <summary>Epoch budget of the cell.</summary>
    public int EpochBudget { get; init; }
    /// <summary>Training stopped once the whole-set loss fell to or below this (0 = never).</summary>
    public double StopAtLoss { get; init; }
    /// <summary>True if training blew up (non-finite values); the figures then describe the state before the blow-up.</summary>
    public bool Diverged { get; init; }
    /// <summary>Epochs actually run.</summary>
    public double Epochs { get; init; }
    /// <summary>Final whole-training-set cross-entropy.</summary>
    public double TrainLoss { get; init; }
    /// <summary>Final training accuracy in [0, 1].</summary>
    public double TrainAccuracy { get; init; }
    /// <summary>Final test accuracy in [0, 1].</summary>
    public double TestAccuracy { get; init; }
    /// <summary>Best test accuracy seen at any evaluation point.</summary>
    public double BestTestAccuracy { get; init; }
    /// <summary>Cumulative rank-1 writes to all tiles (the crossbar's cost).</summary>
    public long RankOneWrites { get; init; }
    /// <summary>
    /// Matrix updates over the run (the paper's count, see <see cref="MatrixUpdateCount"/>): derived, not stored, from
    /// <see cref="Method"/>, <see cref="BatchSize"/>, <see cref="TrainCount"/>, <see cref="Layers"/> and <see cref="Epochs"/>;
    /// null if the cell lacks one of them, and for a cell whose training threw (<see cref="Diverged"/> without any
    /// evaluation point): it records no epochs, so how far it got is unknown (its rank-1 writes still count what was
    /// written before the blow-up).
    /// </summary>
    public long? MatrixUpdates => Diverged && History is not { Count: > 0 } ? null : MatrixUpdatesAt(Epochs);
    /// <summary>Rank-1 writes of transfer compounds' transfers (fast to slow device) over all tiles; not in <see cref="RankOneWrites"/>.</summary>
    public long TransferWrites { get; init; }
    /// <summary>Pulses of those transfer writes; not in <see cref="TotalPulses"/>.</summary>
    public long TransferPulses { get; init; }
    /// <summary>Device pulses applied over all tiles (0 for exact-write devices).</summary>
    public long TotalPulses { get; init; }
    /// <summary>Mean pulses per device over all tiles.</summary>
    public double MeanPulsesPerDevice { get; init; }
    /// <summary>Largest pulse count of any device.</summary>
    public long MaxPulsesPerDevice { get; init; }
    /// <summary>Peripheral memory of the update rules, bytes.</summary>
    public long PeripheralMemoryBytes { get; init; }
    /// <summary>First crossing of training loss 0.1 (censored if never reached).</summary>
    public CrossingResult LossBelow0_1 { get; init; } = new();
    /// <summary>First crossing of training loss 0.01 (censored if never reached).</summary>
    public CrossingResult LossBelow0_01 { get; init; } = new();
    /// <summary>Training wall time (evaluation excluded), seconds.</summary>
    public double TrainSeconds { get; init; }
    /// <summary>Wall time of the whole cell, seconds.</summary>
    public double WallSeconds { get; init; }
    /// <summary>The SbeCore build that computed the cell (informational version: version + source commit), so a grid
    /// resumed on a newer build shows which cells came from which.</summary>
    public string Software { get; init; } = "";
    /// <summary>Evaluation points: epoch, writes, training loss, test accuracy, matrix updates.</summary>
    public List<HistoryPoint> History { get; init; } = [];

    /// <summary>
    /// First crossing of any training-loss threshold, from <see cref="History"/> (same rule as the recorded
    /// <see cref="LossBelow0_1"/> and <see cref="LossBelow0_01"/>): the first evaluation point at or below it; if none,
    /// censored at the last point.
    /// </summary>
    public CrossingResult CrossingOf(double threshold)
    {
        foreach (var p in History)
            if (p.TrainLoss <= threshold)
                return new CrossingResult { Reached = true, Epoch = p.Epoch, RankOneWrites = p.RankOneWrites, MatrixUpdates = MatrixUpdatesAt(p.Epoch) };
        return History.Count == 0 ? new CrossingResult()
            : new CrossingResult { Epoch = History[^1].Epoch, RankOneWrites = History[^1].RankOneWrites, MatrixUpdates = MatrixUpdatesAt(History[^1].Epoch) };
    }

    /// <summary>
    /// Matrix updates (see <see cref="MatrixUpdateCount"/>) after <paramref name="epoch"/> epochs of this cell; null if the
    /// cell does not say its method, batch size, training samples and layers, or the epoch is not finite and >= 0.
    /// </summary>
    public long? MatrixUpdatesAt(double epoch)
    {
        if (!SweepCell.TryParseLabel(Method, out var method) || BatchSize < 1 || TrainCount < 1 || Layers is not { Length: >= 2 }
            || !double.IsFinite(epoch) || epoch < 0) return null;
        return MatrixUpdateCount.Count(method, BatchSize, TrainCount, Layers.Length - 1, epoch);
    }

    /// <summary>
    /// This cell with the matrix updates of its crossings and history points filled in from their epochs (files written
    /// before the count existed have none; values present are recomputed, so they cannot disagree with the derivation).
    /// </summary>
    public CellResult WithMatrixUpdates() => this with
    {
        LossBelow0_1 = LossBelow0_1 is null ? new CrossingResult() : LossBelow0_1 with { MatrixUpdates = MatrixUpdatesAt(LossBelow0_1.Epoch) },
        LossBelow0_01 = LossBelow0_01 is null ? new CrossingResult() : LossBelow0_01 with { MatrixUpdates = MatrixUpdatesAt(LossBelow0_01.Epoch) },
        History = History is null ? [] : [.. History.Select(p => p is null ? p! : p with { MatrixUpdates = MatrixUpdatesAt(p.Epoch) })],
    };
}

/// <summary>First crossing of a loss threshold; if not <see cref="Reached"/>, the values are lower bounds (censored).</summary>
public sealed record CrossingResult
{
    /// <summary>True if the threshold was reached.</summary>
    public bool Reached { get; init; }
    /// <summary>Epoch of the crossing (or epochs run, if censored).</summary>
    public double Epoch { get; init; }
    /// <summary>Rank-1 writes at the crossing (or writes issued, if censored).</summary>
    public long RankOneWrites { get; init; }
    /// <summary>Matrix updates at the crossing (or done, if censored; see <see cref="MatrixUpdateCount"/>); null if the cell
    /// cannot say (see <see cref="CellResult.MatrixUpdatesAt"/>).</summary>
    public long? MatrixUpdates { get; init; }
}

/// <summary>One evaluation point of a cell.</summary>
/// <param name="Epoch">Epochs done.</param>
/// <param name="RankOneWrites">Cumulative rank-1 writes to all tiles.</param>
/// <param name="TrainLoss">Whole-training-set cross-entropy.</param>
/// <param name="TestAccuracy">Test accuracy in [0, 1].</param>
public sealed record HistoryPoint(double Epoch, long RankOneWrites, double TrainLoss, double TestAccuracy)
{
    /// <summary>Cumulative matrix updates (see <see cref="MatrixUpdateCount"/>), filled in by
    /// <see cref="CellResult.WithMatrixUpdates"/>; null if the cell cannot say.</summary>
    public long? MatrixUpdates { get; init; }
}
