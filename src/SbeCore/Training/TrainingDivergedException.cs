using System.Globalization;

namespace SbeCore.Training;

/// <summary>
/// Training blew up: a batch's loss or gradients stopped being finite, almost always because the learning rate is too
/// high. Says where, in the words a user can act on, instead of the internal check that caught it.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception for batch <paramref name="batch"/> of epoch <paramref name="epoch"/> (both 1-based).</summary>
    public TrainingDivergedException(int epoch, int batch, double loss, Exception? inner = null)
        : base(Describe(epoch, batch, loss), inner)
    {
        Epoch = epoch; Batch = batch; Loss = loss;
    }

    /// <summary>Epoch of the failing batch, 1-based.</summary>
    public int Epoch { get; }
    /// <summary>Batch within the epoch, 1-based.</summary>
    public int Batch { get; }
    /// <summary>The batch's loss at the time (NaN or infinite, or finite when only the gradients overflowed).</summary>
    public double Loss { get; }

    private static string Describe(int epoch, int batch, double loss)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $"diverged at epoch {epoch}, batch {batch}: ");
        string what = double.IsFinite(loss)
            ? string.Create(CultureInfo.InvariantCulture, $"the gradients are not finite (loss {loss:0.####})")
            : string.Create(CultureInfo.InvariantCulture, $"loss is {loss}");
        return where + what + "; try a lower learning rate";
    }
}
