namespace SbeCore.Kernels;

// The element-wise operators more than one caller shares. Each vector form uses no fused multiply-add, so it gives the
// bits of its scalar form (and of the plain loops these replaced) on every width.

/// <summary>x * Factor.</summary>
internal readonly struct MultiplyOperator(float factor) : IUnaryOperator
{
    public float Invoke(float x) => x * factor;
    public TVec Invoke<TOps, TVec>(TVec x) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
        => TOps.Multiply(x, TOps.Broadcast(factor));
}

/// <summary>x + Factor * y (multiply, then add: not fused).</summary>
internal readonly struct AddScaledOperator(float factor) : IBinaryOperator
{
    public float Invoke(float x, float y) => x + factor * y;
    public TVec Invoke<TOps, TVec>(TVec x, TVec y) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
        => TOps.Add(x, TOps.Multiply(TOps.Broadcast(factor), y));
}
