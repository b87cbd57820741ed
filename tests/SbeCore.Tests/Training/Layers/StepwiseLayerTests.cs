using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.Tests.Training.Layers;

/// <summary>A tile layer driven call by call (what the C ABI's sbe_layer_* and a torch.autograd.Function call): the same
/// tile and rule as a network's first layer, the same writes as the rule's batch Apply, row strides honoured.</summary>
public class StepwiseLayerTests
{
    private const int In = 9, Out = 5, N = 6;

    private static float[] Random(int count, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var v = new float[count];
        rng.FillGaussian(v, 1.0);
        return v;
    }

    private static NetworkOptions Options(UpdateMethod method, EstimatorOptions? estimator = null, TileConfig? tile = null) =>
        new() { Method = method, Rank = 2, Estimator = estimator, Seed = 11, TileConfig = tile };

    private static float[] Weights(CrossbarTile tile)
    {
        var w = new float[tile.Rows * tile.Cols];
        tile.GetWeights(w);
        return w;
    }

    // (delta, [x, 1]) pairs of a dense batch: what the rule sees
    private static float[] WithBias(float[] x, int n)
    {
        var xb = new float[n * (In + 1)];
        for (int j = 0; j < n; j++) { x.AsSpan(j * In, In).CopyTo(xb.AsSpan(j * (In + 1))); xb[j * (In + 1) + In] = 1f; }
        return xb;
    }

    [Fact]
    public void ItIsTheFirstLayerOfANetworkWithTheSameOptions()
    {
        var options = Options(UpdateMethod.Sbe);
        var layer = StepwiseLayer.Dense(In, Out, options);
        var net = new Network(new NetworkOptions { LayerSizes = [In, Out], Method = UpdateMethod.Sbe, Rank = 2, Seed = 11 });
        Assert.Equal(Weights(net.GetTile(0)), Weights(layer.Tile));
        Assert.Equal(net.GetRule(0).Name, layer.Rule.Name);
        Assert.True(layer.Streams);
    }

    public static TheoryData<UpdateMethod, string?> Rules => new()
    {
        { UpdateMethod.Sbe, null }, { UpdateMethod.Sbe, "rayleigh" }, { UpdateMethod.MiniBatch, null },
        { UpdateMethod.Sgd, null }, { UpdateMethod.TruncatedSvd, null }, { UpdateMethod.Sbpca, null }, { UpdateMethod.Lrt, null },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void TwoBackwardsThenAnUpdateWriteWhatTheRuleWritesForTheWholeBatch(UpdateMethod method, string? magnitude)
    {
        var estimator = magnitude is null ? null : new EstimatorOptions { Rank = 2, Magnitude = MagnitudeEstimate.Rayleigh };
        var tile = TileConfig.TryPreset("EcRam", out var t) ? t : throw new InvalidOperationException();
        var layer = StepwiseLayer.Dense(In, Out, Options(method, estimator, tile));
        var twin = StepwiseLayer.Dense(In, Out, Options(method, estimator, tile)); // its tile and rule, driven by hand
        Assert.Equal(Weights(twin.Tile), Weights(layer.Tile));
        float[] x = Random(N * In, 1), dy = Random(N * Out, 2), y = new float[N * Out], dx = new float[N * In];
        int half = N / 2;
        for (int part = 0; part < 2; part++)
        {
            layer.Forward(x.AsSpan(part * half * In, half * In), half, In, y.AsSpan(part * half * Out, half * Out), Out);
            layer.Backward(dy.AsSpan(part * half * Out, half * Out), half, Out, dx.AsSpan(part * half * In, half * In), In);
        }
        Assert.Equal(magnitude is null && method == UpdateMethod.Sbe ? 0 : N * (In + 1 + Out), layer.BufferedFloats);
        Assert.Equal(N, layer.PendingPairs);
        layer.Update(0.05f);
        // the sum's step: a batch rule's mean at lr * n, a per-sample rule each pair at lr
        twin.Rule.ApplyPositions(twin.Tile, dy, WithBias(x, N), 1, N, 0.05f);
        twin.Tile.PostUpdateStep();
        Assert.Equal(Weights(twin.Tile), Weights(layer.Tile));
        Assert.Equal(twin.Tile.Counters.RankOneWrites, layer.Tile.Counters.RankOneWrites);
        Assert.True(layer.Tile.Counters.RankOneWrites > 0);
        Assert.Equal(0, layer.PendingPairs);
    }

    [Fact]
    public void ForwardAndBackwardAreTheTilesReads()
    {
        var layer = StepwiseLayer.Dense(In, Out, Options(UpdateMethod.Sbe));
        float[] x = Random(N * In, 3), dy = Random(N * Out, 4), y = new float[N * Out], dx = new float[N * In];
        layer.Forward(x, N, In, y, Out);
        layer.Backward(dy, N, Out, dx, In);
        var w = Weights(layer.Tile);
        for (int j = 0; j < N; j++)
            for (int r = 0; r < Out; r++)
            {
                double s = w[r * (In + 1) + In];
                for (int c = 0; c < In; c++) s += w[r * (In + 1) + c] * x[j * In + c];
                Assert.Equal(s, y[j * Out + r], 4);
            }
        for (int j = 0; j < N; j++)
            for (int c = 0; c < In; c++)
            {
                double s = 0;
                for (int r = 0; r < Out; r++) s += w[r * (In + 1) + c] * dy[j * Out + r];
                Assert.Equal(s, dx[j * In + c], 4);
            }
    }

    [Fact]
    public void RowStridedBatchesGiveThePackedResultsAndLeaveTheGapsAlone()
    {
        const int ldIn = In + 3, ldOut = Out + 2;
        var packed = StepwiseLayer.Dense(In, Out, Options(UpdateMethod.MiniBatch));
        var strided = StepwiseLayer.Dense(In, Out, Options(UpdateMethod.MiniBatch));
        float[] x = Random(N * In, 5), dy = Random(N * Out, 6);
        float[] xs = new float[(N - 1) * ldIn + In], dys = new float[(N - 1) * ldOut + Out];
        for (int j = 0; j < N; j++) { x.AsSpan(j * In, In).CopyTo(xs.AsSpan(j * ldIn)); dy.AsSpan(j * Out, Out).CopyTo(dys.AsSpan(j * ldOut)); }
        float[] y = new float[N * Out], dx = new float[N * In];
        float[] ys = new float[(N - 1) * ldOut + Out], dxs = new float[(N - 1) * ldIn + In];
        ys.AsSpan().Fill(-7f); dxs.AsSpan().Fill(-7f);
        packed.Forward(x, N, In, y, Out); packed.Backward(dy, N, Out, dx, In); packed.Update(0.1f);
        strided.Forward(xs, N, ldIn, ys, ldOut); strided.Backward(dys, N, ldOut, dxs, ldIn); strided.Update(0.1f);
        for (int j = 0; j < N; j++)
        {
            Assert.Equal(y.AsSpan(j * Out, Out).ToArray(), ys.AsSpan(j * ldOut, Out).ToArray());
            Assert.Equal(dx.AsSpan(j * In, In).ToArray(), dxs.AsSpan(j * ldIn, In).ToArray());
            if (j + 1 < N)
            {
                Assert.All(ys.AsSpan(j * ldOut + Out, ldOut - Out).ToArray(), v => Assert.Equal(-7f, v));
                Assert.All(dxs.AsSpan(j * ldIn + In, ldIn - In).ToArray(), v => Assert.Equal(-7f, v));
            }
        }
        Assert.Equal(Weights(packed.Tile), Weights(strided.Tile));
    }

    [Fact]
    public void BadCallsThrowAndChangeNothing()
    {
        var layer = StepwiseLayer.Dense(In, Out, Options(UpdateMethod.Sbe));
        float[] x = Random(N * In, 7), dy = Random(N * Out, 8), y = new float[N * Out], dx = new float[N * In];
        Assert.Throws<InvalidOperationException>(() => layer.Backward(dy, N, Out, dx, In)); // no forward yet
        Assert.Throws<ArgumentException>(() => layer.Forward(x, N, In - 1, y, Out));         // stride below the width
        Assert.Throws<ArgumentException>(() => layer.Forward(x.AsSpan(1).ToArray(), N, In, y, Out)); // too short
        x[4] = float.NaN;
        Assert.Throws<ArgumentException>(() => layer.Forward(x, N, In, y, Out));
        x[4] = 0;
        layer.Forward(x, N, In, y, Out);
        Assert.Throws<ArgumentException>(() => layer.Backward(dy.AsSpan(0, 2 * Out), 2, Out, dx.AsSpan(0, 2 * In), In)); // another n
        dy[3] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => layer.Backward(dy, N, Out, dx, In));
        Assert.Equal(0, layer.PendingPairs);
        dy[3] = 0;
        layer.Backward(dy, N, Out, [], 0);   // still armed: the rejected calls changed nothing; no dx wanted
        Assert.Equal(N, layer.PendingPairs);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(dy, N, Out, dx, In)); // one backward per forward
        Assert.Throws<ArgumentException>(() => layer.Update(float.NaN));
        Assert.Equal(N, layer.PendingPairs);
    }

    [Fact]
    public void PairsTheRuleRefusesLeaveTheGradientBufferAndTheArmedForwardAlone()
    {
        var layer = StepwiseLayer.Dense(In, Out, Options(UpdateMethod.Sbe));
        float[] x = new float[N * In], dy = new float[N * Out], y = new float[N * Out], dx = new float[N * In];
        x.AsSpan().Fill(1f);
        dy.AsSpan().Fill(1e38f);   // finite, but |delta| |x| beyond what the estimator accepts
        dx.AsSpan().Fill(-7f);
        layer.Forward(x, N, In, y, Out);
        Assert.Throws<ArgumentException>(() => layer.Backward(dy, N, Out, dx, In));
        Assert.All(dx, v => Assert.Equal(-7f, v));
        Assert.Equal(0, layer.PendingPairs);
        dy.AsSpan().Fill(0.5f);
        layer.Backward(dy, N, Out, dx, In);   // the forward is still armed
        Assert.Equal(N, layer.PendingPairs);
        Assert.DoesNotContain(-7f, dx);
    }

    [Fact]
    public void AConvLayerStreamsItsSamplesPositions()
    {
        var g = new ConvGeometry(new TensorShape(2, 6, 6), 3, 3, 1, 1);
        var layer = StepwiseLayer.Conv2d(g, Options(UpdateMethod.Sbe));
        var conv = new Conv2dLayer(g, new CrossbarTile(3, g.PatchSize + 1), new SgdRule(3, g.PatchSize + 1));
        conv.Tile.SetWeights(Weights(layer.Tile));
        conv.EnsureCapacity(2);
        float[] x = Random(2 * g.Input.Size, 9), y = new float[2 * g.Output.Size], expected = new float[2 * g.Output.Size];
        layer.Forward(x, 2, g.Input.Size, y, g.Output.Size);
        conv.Forward(x, 2, expected);
        Assert.Equal(expected, y);
        layer.Backward(Random(2 * g.Output.Size, 10), 2, g.Output.Size, new float[2 * g.Input.Size], g.Input.Size);
        Assert.Equal(2 * g.Positions, layer.PendingPairs);
        Assert.Equal(0, layer.BufferedFloats);
        layer.Update(0.01f);
        Assert.Equal(2, layer.Tile.Counters.RankOneWrites); // sbe-2: one estimate for all 2 x 36 pairs
    }

    [Fact]
    public void SteadyStateStepsAllocateNothing()
    {
        foreach (var method in new[] { UpdateMethod.Sbe, UpdateMethod.MiniBatch })
        {
            var layer = StepwiseLayer.Dense(In, Out, Options(method));
            float[] x = Random(N * In, 1), dy = Random(N * Out, 2), y = new float[N * Out], dx = new float[N * In];
            void Step() { layer.Forward(x, N, In, y, Out); layer.Backward(dy, N, Out, dx, In); layer.Update(0.01f); }
            Step(); Step();
            SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 5; i++) Step(); });
        }
    }
}
