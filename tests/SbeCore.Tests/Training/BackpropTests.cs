using SbeCore.Numerics;
using SbeCore.Training;

namespace SbeCore.Tests.Training;

public class BackpropTests
{
    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Sigmoid)]
    public void MeanGradientMatchesCentralFiniteDifferences(Activation activation)
    {
        int[] sizes = [5, 6, 4, 3];
        var rules = new List<RecordingRule>();
        var net = new Network(new NetworkOptions { LayerSizes = sizes, Activation = activation, Seed = 11 },
            (l, r, c) => { var rule = new RecordingRule(r, c); rules.Add(rule); return rule; });
        int n = 7;
        var rng = new Xoshiro256(5);
        var images = new float[n * sizes[0]];
        for (int i = 0; i < images.Length; i++) images[i] = rng.NextSingle();
        int[] labels = [0, 1, 2, 2, 1, 0, 1];

        double lossBefore = net.TrainBatch(images, labels, 0.1f); // recording rules leave the weights alone
        Assert.Equal(lossBefore, net.Evaluate(images, labels).Loss, 1e-6);

        const float eps = 1e-2f;
        int checkedCount = 0;
        for (int l = 0; l < net.LayerCount; l++)
        {
            var tile = net.GetTile(l);
            double[] analytic = rules[l].MeanGradient();
            float[] w = tile.Weights.ToArray();
            for (int k = 0; k < w.Length; k++)
            {
                float orig = w[k];
                w[k] = orig + eps; tile.SetWeights(w); double up = net.Evaluate(images, labels).Loss;
                w[k] = orig - eps; tile.SetWeights(w); double down = net.Evaluate(images, labels).Loss;
                w[k] = orig; tile.SetWeights(w);
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[k]) <= 2e-3 + 2e-2 * Math.Abs(analytic[k]),
                    $"layer {l} weight {k}: finite difference {numeric}, backprop {analytic[k]}");
                checkedCount++;
            }
        }
        Assert.Equal(6 * 6 + 4 * 7 + 3 * 5, checkedCount);
    }

    [Fact]
    public void DenseMeanRuleStepEqualsLearningRateTimesMeanGradient()
    {
        int[] sizes = [4, 3, 2];
        RecordingRule? recorder = null;
        var probe = new Network(new NetworkOptions { LayerSizes = sizes, Seed = 3 },
            (l, r, c) => l == 0 ? (recorder = new RecordingRule(r, c)) : new RecordingRule(r, c));
        var net = new Network(new NetworkOptions { LayerSizes = sizes, Seed = 3 }, (l, r, c) => new DenseMeanRule(r, c));
        float[] images = [0.1f, 0.9f, 0.3f, 0.5f, 0.7f, 0.2f, 0.8f, 0.4f, 0.6f, 0.05f, 0.35f, 0.95f];
        int[] labels = [1, 0, 1];
        float[] w0 = net.GetTile(0).Weights.ToArray();
        probe.TrainBatch(images, labels, 0.5f);
        net.TrainBatch(images, labels, 0.5f);
        double[] g = recorder!.MeanGradient();
        var w1 = net.GetTile(0).Weights;
        for (int k = 0; k < w0.Length; k++) Assert.Equal(w0[k] - 0.5 * g[k], w1[k], 1e-5);
    }
}
