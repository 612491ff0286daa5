namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// The outcome of a self-expressive solve: the sparse coefficient matrix and how the solver got there.
/// </summary>
/// <remarks>
/// In the maths the samples are the columns of X (D x N) and X ≈ X C with diag(C) = 0, so column i of
/// C is the code of sample i. Our data arrives with rows = samples, so <see cref="Coefficients"/> stores
/// that code as <b>row i</b>: <c>Coefficients[i, j]</c> is the weight of sample j in representing sample i
/// (that is, the maths' C<sub>ji</sub>; the stored matrix is C<sup>T</sup>).
/// </remarks>
/// <param name="Coefficients">N x N, row i = the code of sample i (C<sup>T</sup> in the maths' notation); the diagonal is zero.</param>
/// <param name="Iterations">Iterations the solver ran (ADMM), or the largest number of greedy/active-set steps any sample took (OMP, EnSC).</param>
/// <param name="Converged">Whether the stopping rule was met before the iteration limit.</param>
/// <param name="Seconds">Wall-clock seconds of the solve.</param>
/// <param name="Solver">Name of the solver.</param>
public sealed record SelfExpression(SparseMatrix Coefficients, int Iterations, bool Converged, double Seconds, string Solver)
{
    /// <summary>Average number of non-zero coefficients per sample.</summary>
    public double NonZerosPerSample => Coefficients.Rows == 0 ? 0 : Coefficients.NonZeroCount / (double)Coefficients.Rows;
}
