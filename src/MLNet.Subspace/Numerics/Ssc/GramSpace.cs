using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// The Gram-space path of OMP and EnSC: one GEMM G = X<sup>T</sup>X (O(N² D)) of the unit-length samples, after which every
/// correlation with a residual is a combination of rows of G (O(N) per atom) instead of a product with X (O(N D)).
/// </summary>
internal static class GramSpace
{
    /// <summary>Whether to solve on G: the caller's <paramref name="choice"/>, else when D ≥ N (the activation regime, where
    /// one N x N GEMM replaces a D x N one per step) and <paramref name="gramPathBytes"/> fits the memory available
    /// (N = 10⁵ needs 40 GB for G in float32 and takes the X path).</summary>
    public static bool Use(bool? choice, int n, int d, long gramPathBytes)
        => choice ?? (d >= n && gramPathBytes <= MemoryBudget.AvailableBytes());

    /// <summary>G = X<sup>T</sup>X of D x N unit-length columns: N x N, in their element type.</summary>
    public static Tensor Of(Tensor unitColumns) => unitColumns.t().matmul(unitColumns);

    /// <summary>The smallest squared norm a Gram-space residual or new direction can resolve: ||r||² = 1 − ||z||² comes from
    /// entries of G, so it carries their rounding (64 ε of the element type, 7.6e-6 in float32, 1.4e-14 in float64); below it
    /// the difference is rounding, not signal.</summary>
    public static double SquaredNormFloor(ScalarType dtype) => 64 * (dtype == ScalarType.Float64 ? 2.2e-16 : 1.19e-7);
}
