using System.Runtime.InteropServices;
using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// netrep's permutation-invariant shape metric (Williams, Kunz, Kornblith, Linderman, "Generalized Shape Metrics on
/// Neural Representations", NeurIPS 2021; netrep's <c>PermutationMetric(center_columns=True, zero_pad=True,
/// score_method="angular")</c>): the angle between X and Y after the best matching of X's neurons (columns) to Y's.
/// </summary>
/// <remarks>
/// <para>X (N x dx) and Y (N x dy) are column-centred; the narrower is zero-padded, which is the same as matching each
/// of its min(dx, dy) columns to a distinct column of the wider one. The matching P maximises
/// trace(X^T Y P) = sum_i &lt;x_i, y_p(i)&gt;, a linear assignment problem on C = X_c^T Y_c solved exactly (shortest
/// augmenting paths, as SciPy's <c>linear_sum_assignment</c> that netrep calls), and the distance is
/// arccos(max_P trace(X^T Y P) / (||X_c||_F ||Y_c||_F)) in [0, π]. It is symmetric, 0 when Y is a column permutation of
/// X up to shift and a positive scale, invariant to permuting either side's neurons, and among representations of one width satisfies the
/// triangle inequality (the angle between orbits of the permutation group). Across widths it need not: each pair is
/// padded to its own wider side, so a column that would be better left unmatched must still be matched. It is at least
/// the shape metric with alpha = 1, whose rotations include the permutations.</para>
/// <para>Cost: O(N dx dy) for C, then O(d_min^2 d_max) worst case for the assignment (d_min = min(dx, dy)); memory
/// O(dx dy). Centring and the norm are the per-layer half.</para>
/// <para>Degenerate inputs as <see cref="Cca"/>: fewer than 2 rows, different row counts, NaN or a vector are an
/// <see cref="ArgumentException"/>; a representation whose every column is constant cannot be scaled and throws a
/// <see cref="DegenerateCkaException"/>.</para>
/// </remarks>
public static class PermutationMetric
{
    /// <summary>The angle between X and Y under the best matching of their neurons (columns).</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <returns>The angle in [0, π]; 0 for X against a column permutation of itself.</returns>
    /// <exception cref="DegenerateCkaException">A representation is constant.</exception>
    public static double AngularDistance(Tensor x, Tensor y)
    {
        Cca.CheckPair(x, y, "The permutation metric");
        using var scope = NewDisposeScope();
        return PairDistance(Prepare(x, "X"), Prepare(y, "Y"));
    }

    /// <summary>The column of Y matched to each column of X (-1 where X is the wider one and the column meets Y's zero padding).</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <returns>dx column indices of Y, counted from 0.</returns>
    public static int[] Matching(Tensor x, Tensor y)
    {
        Cca.CheckPair(x, y, "The permutation metric");
        using var scope = NewDisposeScope();
        return Solve(Prepare(x, "X"), Prepare(y, "Y")).Matching;
    }

    /// <summary>A centred representation and its Frobenius norm: the permutation metric's per-layer half.</summary>
    /// <param name="centred">N x d float64, columns centred.</param>
    /// <param name="norm">||X_c||_F &gt; 0.</param>
    /// <param name="rows">N.</param>
    internal sealed class Centred(Tensor centred, double norm, long rows) : PreparedLayer(rows)
    {
        /// <summary>The centred N x d matrix.</summary>
        public Tensor Matrix { get; } = centred;

        /// <summary>Its Frobenius norm.</summary>
        public double Norm { get; } = norm;

        /// <inheritdoc/>
        protected override IEnumerable<Tensor?> Owned => [Matrix];
    }

    /// <summary>Centres the columns (float64) and takes the norm, refusing a constant representation. Cost O(N d).</summary>
    internal static Centred Prepare(Tensor x, string name)
    {
        var (xc, norm) = Cca.Centred(x, name, "The permutation metric");
        return new Centred(xc, norm, x.shape[0]);
    }

    /// <summary>The angle of two prepared layers. Cost O(N dx dy + d_min^2 d_max).</summary>
    internal static double PairDistance(Centred x, Centred y) => Solve(x, y).Angle;

    private static (double Angle, int[] Matching) Solve(Centred x, Centred y)
    {
        using var scope = NewDisposeScope();
        int dx = (int)x.Matrix.shape[1], dy = (int)y.Matrix.shape[1];
        bool transpose = dx > dy;
        // Rows of the assignment are the narrower side's columns; costs are negated inner products (maximise = minimise -C),
        // read in place from the tensor's memory (a copy through the tensor accessor cost more than the assignment).
        var negated = (transpose ? y.Matrix.t().mm(x.Matrix) : x.Matrix.t().mm(y.Matrix)).neg_().cpu().contiguous();
        int n = Math.Min(dx, dy), m = Math.Max(dx, dy);
        var cost = MemoryMarshal.Cast<byte, double>(negated.bytes);
        int[] rows = LinearAssignment.Minimise(cost, n, m);
        double total = 0;
        for (int i = 0; i < n; i++) total -= cost[i * m + rows[i]];
        var matching = new int[dx];
        if (transpose)
        {
            Array.Fill(matching, -1);
            for (int i = 0; i < n; i++) matching[rows[i]] = i;
        }
        else matching = rows;
        return (Math.Acos(Math.Clamp(total / (x.Norm * y.Norm), -1.0, 1.0)), matching);
    }
}
