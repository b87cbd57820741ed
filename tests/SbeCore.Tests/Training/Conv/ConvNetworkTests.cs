using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.Tests.Training.Conv;

/// <summary>Networks built from <see cref="NetworkOptions.Architecture"/>: gradients, the MLP identity, bad specs.</summary>
public class ConvNetworkTests
{
    // Every stride / padding / pool combination, small enough for central differences on every weight. Average pools
    // pass every ReLU kink to the loss (a max pool drops most), so they run with sigmoid where a step of eps could
    // cross a kink and make the difference quotient wrong, not the gradient.
    [Theory]
    [InlineData("1x6x6-conv2k3-maxpool2-fc5", Activation.Relu)]
    [InlineData("1x6x6-conv2k3p1-avgpool2-fc5", Activation.Sigmoid)]
    [InlineData("2x7x7-conv3k3s2-maxpool3", Activation.Sigmoid)]
    [InlineData("2x7x7-conv3k3s2p1-avgpool2", Activation.Sigmoid)]
    [InlineData("1x8x8-conv2k3p1-pool2-conv3k2s2-fc4", Activation.Sigmoid)]
    [InlineData("1x5x5-conv2k2-conv2k2p1-avgpool3", Activation.Sigmoid)]
    [InlineData("1x7x7-conv2k3p1-maxpool2-conv2k2s2p1-avgpool2", Activation.Relu)]
    public void MeanGradientOfEveryTileMatchesCentralFiniteDifferences(string arch, Activation activation)
    {
        var spec = ArchitectureSpec.Parse(arch);
        int features = spec.InputShape!.Value.Size;
        var rules = new List<PairRecordingRule>();
        var net = new Network(new NetworkOptions { Architecture = arch, LayerSizes = [features, 3], Activation = activation, Seed = 11 },
            (l, r, c) => { var rule = new PairRecordingRule(r, c); rules.Add(rule); return rule; });
        const int n = 4;
        var rng = new Xoshiro256(5);
        var images = new float[n * features];
        for (int i = 0; i < images.Length; i++) images[i] = rng.NextSingle();
        int[] labels = [0, 1, 2, 1];
        net.TrainBatch(images, labels, 0.1f); // recording rules leave the weights alone

        const float eps = 1e-2f;
        for (int l = 0; l < net.LayerCount; l++)
        {
            var tile = net.GetTile(l);
            Assert.Equal(n, rules[l].N);
            double[] analytic = rules[l].MeanGradient();
            float[] w = tile.Weights.ToArray();
            for (int k = 0; k < w.Length; k++)
            {
                float orig = w[k];
                w[k] = orig + eps; tile.SetWeights(w); double up = net.Evaluate(images, labels).Loss;
                w[k] = orig - eps; tile.SetWeights(w); double down = net.Evaluate(images, labels).Loss;
                w[k] = orig; tile.SetWeights(w);
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[k]) <= 3e-3 + 3e-2 * Math.Abs(analytic[k]),
                    $"{arch} layer {l} weight {k}: finite difference {numeric}, backprop {analytic[k]}");
            }
        }
    }

    [Theory]
    [InlineData(UpdateMethod.Sgd)]
    [InlineData(UpdateMethod.MiniBatch)]
    [InlineData(UpdateMethod.TruncatedSvd)]
    [InlineData(UpdateMethod.Sbe)]
    public void DenseLayersThroughTheSeamTrainBitIdenticallyToTheMlp(UpdateMethod method)
    {
        var data = ConvData.Train.Value;
        float[] Run(string? arch)
        {
            var net = new Network(new NetworkOptions { LayerSizes = arch is null ? [784, 24, 16, 10] : [784, 10], Architecture = arch, Method = method, Rank = 2, Seed = 5 });
            for (int e = 0; e < 2; e++) net.TrainEpoch(data.Images.AsSpan(0, 300 * 784), data.Labels.AsSpan(0, 300), 20, 0.1f, (ulong)e + 1);
            var probs = new float[50 * 10];
            net.Predict(data.Images.AsSpan(0, 50 * 784), probs);
            return [.. net.GetTile(0).Weights, .. net.GetTile(1).Weights, .. net.GetTile(2).Weights, .. probs, (float)net.Evaluate(data.Images.AsSpan(0, 300 * 784), data.Labels.AsSpan(0, 300)).Loss, net.RankOneWrites];
        }
        float[] mlp = Run(null), seam = Run("fc24-fc16");
        Assert.True(mlp.AsSpan().SequenceEqual(seam), $"{method}: the layer stack's dense layers differ from the MLP");
    }

    [Theory]
    [InlineData("conv6k29", "conv6k29")]             // kernel larger than the 28 x 28 input
    [InlineData("conv6k5-pool2-conv16k13", "conv16k13")] // 12 x 12 left for a 13 x 13 kernel
    [InlineData("conv6k5-pool30", "maxpool30")]
    [InlineData("conv6k5s0", "conv6k5s0")]
    [InlineData("conv6x5", "conv6x5")]
    [InlineData("fc0", "fc0")]
    [InlineData("2x28x28-conv6k5", "1568")]           // channel count that does not match the data
    public void ImpossibleArchitecturesAreRefusedAtCreationWithTheLayerNamed(string arch, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { Architecture = arch, LayerSizes = [784, 10] }));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void LeNet5HasTheTextbookShapes()
    {
        var net = new Network(new NetworkOptions { Architecture = "lenet5", LayerSizes = [784, 10] });
        Assert.Equal(5, net.LayerCount);
        int[][] shapes = [[6, 26], [16, 151], [120, 401], [84, 121], [10, 85]];
        for (int l = 0; l < 5; l++) Assert.Equal(shapes[l], new[] { net.GetTile(l).Rows, net.GetTile(l).Cols });
        Assert.Equal("conv6k5p2 relu maxpool2 conv16k5 relu maxpool2 fc120 relu fc84 relu fc10", string.Join(' ', net.Layers!.Select(x => x.Name)));
        Assert.Equal(new TensorShape(16, 5, 5), net.Layers![5].Output);
    }

    // The update bound of a conv layer comes from its input (the pairs' entries are input pixels, padding zeros and the
    // bias 1): a rate that could push a weight past float, or a gradient beyond the estimators' range, is still refused
    // before any tile is written, for the column rule (minibatch) and a pair rule (sbe).
    [Theory]
    [InlineData(UpdateMethod.MiniBatch)]
    [InlineData(UpdateMethod.Sbe)]
    public void ConvolutionalUpdatesBeyondFloatAreRefusedWithNothingWritten(UpdateMethod method)
    {
        var rng = new Random(3);
        var images = new float[4 * 64];
        for (int i = 0; i < images.Length; i++) images[i] = (float)rng.NextDouble();
        int[] labels = [0, 1, 0, 1], order = [0, 1, 2, 3];
        var net = new Network(new NetworkOptions { Architecture = "1x8x8-conv3k3p1-maxpool2-fc2", LayerSizes = [64, 2], Method = method, Seed = 1 });
        float[] Weights() => [.. net.GetTile(0).Weights, .. net.GetTile(1).Weights];
        var before = Weights();
        for (int i = 0; i < images.Length; i++) images[i] *= 1e10f; // |x| 1e10: a rate of 1e30 could move a weight by ~1e43
        Assert.Contains("too large", Assert.Throws<ArgumentException>(() => net.TrainBatch(images, labels, order, 1e30f)).Message);
        Assert.Equal(before, Weights());
        for (int i = 0; i < images.Length; i++) images[i] *= 1e27f; // finite inputs near 1e37: the gradient's |delta| |x| passes 2^125
        var e = Assert.ThrowsAny<Exception>(() => net.TrainBatch(images, labels, order, 1e-3f));
        Assert.True(e is InvalidOperationException { Message: var m } && m.Contains("diverged") || e is ArgumentException { Message: var a } && a.Contains("NaN or Inf"), e.Message);
        Assert.Equal(before, Weights());
    }
}
