using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>The one way samples are scaled to unit l2 length (input preparation, OMP, EnSC, out-of-sample codes).</summary>
internal static class UnitLength
{
    /// <summary>OMP and EnSC treat a sample shorter than this as zero-length: it is not scaled up, so it never starts a code.</summary>
    public const double SolverFloor = 1e-12;

    /// <summary>The input preparation only guards the division: every non-zero sample becomes unit length.</summary>
    public const double InputFloor = 1e-30;

    /// <summary><paramref name="x"/> divided by its l2 norms along <paramref name="dim"/>, each at least <paramref name="floor"/> (zero samples stay zero).</summary>
    /// <param name="x">A matrix.</param>
    /// <param name="dim">0 when samples are columns, 1 when they are rows.</param>
    /// <param name="floor">Smallest divisor.</param>
    public static Tensor Along(Tensor x, int dim, double floor) => x / x.norm(dim, keepdim: true).clamp_min(floor);
}
