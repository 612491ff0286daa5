using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>Reading scalars out of tensors of any floating type.</summary>
internal static class TensorScalars
{
    /// <summary>The single value of <paramref name="t"/> as a double, whatever its element type.</summary>
    public static double ToDouble(this Tensor t)
    {
        using var d = t.to(ScalarType.Float64);
        return d.item<double>();
    }
}
