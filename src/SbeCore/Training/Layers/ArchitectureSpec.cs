using System.Globalization;
using System.Text.RegularExpressions;

namespace SbeCore.Training.Layers;

/// <summary>One layer of an <see cref="ArchitectureSpec"/>.</summary>
public abstract record LayerSpec;
/// <summary>convCkK[sS][pP]: C output channels, K x K kernel, stride S (1), zero padding P (0); the activation follows.</summary>
public sealed record ConvSpec(int Channels, int Kernel, int Stride = 1, int Padding = 0) : LayerSpec;
/// <summary>poolK / maxpoolK / avgpoolK: K x K window, stride K.</summary>
public sealed record PoolSpec(PoolKind Kind, int Size) : LayerSpec;
/// <summary>fcN: N outputs; the activation follows unless it is the output layer.</summary>
public sealed record DenseSpec(int Units) : LayerSpec;

/// <summary>
/// A network architecture as text: layers joined by '-' (or ','), e.g. <c>conv6k5p2-pool2-conv16k5-pool2-fc120-fc84</c>,
/// optionally led by the input shape <c>CxHxW</c> (default: 1 x s x s for s x s features, as MNIST's 784) and
/// optionally ending in the output layer <c>fc&lt;classes&gt;</c> (appended when absent). <c>flatten</c> is accepted
/// and does nothing (samples are stored channel-major, already flat). Named architectures: <c>lenet5</c> (alias
/// <c>lenet</c>): LeNet-5 for 28 x 28 inputs, the first convolution padded by 2 as for the original 32 x 32.
/// </summary>
public sealed partial class ArchitectureSpec
{
    /// <summary>LeNet-5's hidden layers.</summary>
    public const string LeNet5 = "conv6k5p2-pool2-conv16k5-pool2-fc120-fc84";

    private ArchitectureSpec(string text, TensorShape? input, IReadOnlyList<LayerSpec> layers) { Text = text; InputShape = input; Layers = layers; }

    /// <summary>The text as given (named architectures expanded).</summary>
    public string Text { get; }
    /// <summary>The input shape the text names, or null to derive it from the feature count.</summary>
    public TensorShape? InputShape { get; }
    /// <summary>The layers in order (an explicit output fc included when given).</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">An unknown token or a zero size, named.</exception>
    public static ArchitectureSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t is "lenet" or "lenet5" or "lenet-5") t = LeNet5;
        var tokens = t.Split(['-', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length == 0) throw new ArgumentException("the architecture is empty; e.g. lenet5 or conv6k5-pool2-fc84.", nameof(text));
        TensorShape? input = null;
        var layers = new List<LayerSpec>();
        for (int i = 0; i < tokens.Length; i++)
        {
            string tok = tokens[i];
            Match m;
            if (i == 0 && (m = ShapeToken().Match(tok)).Success) input = new TensorShape(Int(m, 1, tok), Int(m, 2, tok), Int(m, 3, tok));
            else if ((m = ConvToken().Match(tok)).Success)
                layers.Add(new ConvSpec(Int(m, 1, tok), Int(m, 2, tok), m.Groups[3].Success ? Int(m, 3, tok) : 1, m.Groups[4].Success ? Int(m, 4, tok, 0) : 0));
            else if ((m = PoolToken().Match(tok)).Success) layers.Add(new PoolSpec(m.Groups[1].Value == "avg" ? PoolKind.Average : PoolKind.Max, Int(m, 2, tok)));
            else if ((m = DenseToken().Match(tok)).Success) layers.Add(new DenseSpec(Int(m, 1, tok)));
            else if (tok != "flatten")
                throw new ArgumentException($"architecture token '{tok}' is not one of CxHxW (first), convCkK[sS][pP], poolK, maxpoolK, avgpoolK, fcN, flatten.", nameof(text));
        }
        return new ArchitectureSpec(t, input, layers);
    }

    /// <summary>The multi-layer perceptron with the given hidden layer sizes (fcH each; the output layer is appended).</summary>
    public static ArchitectureSpec Dense(ReadOnlySpan<int> hidden)
    {
        var layers = new LayerSpec[hidden.Length];
        for (int i = 0; i < hidden.Length; i++) layers[i] = new DenseSpec(hidden[i]);
        return new ArchitectureSpec(string.Join('-', Array.ConvertAll(layers, l => $"fc{((DenseSpec)l).Units}")), null, layers);
    }

    private static int Int(Match m, int group, string token, int min = 1)
    {
        if (!int.TryParse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < min)
            throw new ArgumentException($"architecture token '{token}': '{m.Groups[group].Value}' must be an integer >= {min}.", "text");
        return v;
    }

    [GeneratedRegex(@"^(\d+)x(\d+)x(\d+)$")] private static partial Regex ShapeToken();
    [GeneratedRegex(@"^conv(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?$")] private static partial Regex ConvToken();
    [GeneratedRegex(@"^(max|avg)?pool(\d+)$")] private static partial Regex PoolToken();
    [GeneratedRegex(@"^(?:fc|dense)(\d+)$")] private static partial Regex DenseToken();
}
