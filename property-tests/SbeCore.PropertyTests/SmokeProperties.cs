using FsCheck.Xunit;
using SbeCore.Kernels;

namespace SbeCore.PropertyTests;

public class SmokeProperties
{
    [Property]
    public bool DotIsSymmetric(float a, float b) => float.IsNaN(a * b) || Blas.Dot([a], [b]) == Blas.Dot([b], [a]);
}
