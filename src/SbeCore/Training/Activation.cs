namespace SbeCore.Training;

/// <summary>Hidden-layer non-linearity (the output layer is always softmax).</summary>
public enum Activation
{
    /// <summary>max(0, z).</summary>
    Relu,
    /// <summary>1 / (1 + exp(-z)).</summary>
    Sigmoid,
}
