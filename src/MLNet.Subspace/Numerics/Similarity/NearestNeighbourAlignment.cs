using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// The nearest-neighbour alignment measures of the platonic-representation paper (Huh et al. 2024): mutual
/// k-NN alignment, cycle k-NN and CKNNA, following the authors' <c>metrics.py</c> step for step. Inputs are
/// TorchSharp tensors with one input per row (N x d); everything runs in float64.
/// </summary>
/// <remarks>
/// <para>Neighbours are by <b>inner product</b>, as in the reference: row i's k neighbours are the k largest
/// entries of row i of X X^T. The reference's callers L2-normalise the rows first (so the inner product is the
/// cosine); do that before calling for cosine neighbours. Self-neighbours: mutual and cycle k-NN set the
/// diagonal to -1e8 before sorting (so an input is never its own neighbour unless every other inner product is
/// below -1e8), CKNNA sets it to -infinity. Ties: the reference leaves their order to torch's
/// <c>argsort</c> (mutual and cycle k-NN) and <c>topk</c> (CKNNA), which need not agree; here both are broken by the
/// lower row index (a stable descending sort), so results are deterministic and equal the reference's whenever no
/// two inner products of a row tie across the k-th place (any continuous data).</para>
/// <para>Cost: O(N^2 d) for the Gram matrices plus O(N^2 log N) for the row sorts; O(N^2) memory. Every
/// measure needs N &gt;= k + 1 (k neighbours other than the input itself); CKNNA also needs k &gt;= 2 and N &gt;= 4
/// (the unbiased HSIC divides by N (N - 3)). Bad sizes throw an <see cref="ArgumentException"/> saying what is
/// needed.</para>
/// <para>Reference: Huh, Cheung, Wang, Isola, "The Platonic Representation Hypothesis", ICML 2024;
/// github.com/minyoungg/platonic-rep, metrics.py (AlignmentMetrics.mutual_knn, cycle_knn, cknna).</para>
/// </remarks>
public static class NearestNeighbourAlignment
{
    /// <summary>The value the reference writes on the diagonal of X X^T so an input is not its own neighbour (mutual and cycle k-NN).</summary>
    public const double SelfScore = -1e8;

    /// <summary>The constant the reference adds to CKNNA's denominator, sqrt(HSIC_KK HSIC_LL) + 1e-6.</summary>
    public const double CknnaEpsilon = 1e-6;

    /// <summary>
    /// Each row's k nearest neighbours by inner product, the diagonal of X X^T set to <see cref="SelfScore"/>
    /// (the reference's <c>compute_nearest_neighbors</c>), nearest first, ties by the lower index.
    /// Cost O(N^2 d + N^2 log N) time, O(N^2) memory.
    /// </summary>
    /// <param name="x">An N x d matrix, one input per row.</param>
    /// <param name="k">Neighbours per input; 1 &lt;= k &lt;= N - 1.</param>
    /// <returns>An N x k int64 tensor of row indices (from 0).</returns>
    /// <exception cref="ArgumentException">k &lt; 1 or N &lt; k + 1.</exception>
    public static Tensor Neighbours(Tensor x, int k)
    {
        CheckInput(x, nameof(x), k);
        using var scope = NewDisposeScope();
        var x64 = x.to_type(float64);
        var gram = x64.mm(x64.t());
        FillDiagonal(gram, SelfScore);
        return TopIndices(gram, k).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mutual k-NN alignment: the mean over inputs of |kNN_X(i) ∩ kNN_Y(i)| / k (the reference's <c>mutual_knn</c>).
    /// 1 when both representations give every input the same neighbours. Cost O(N^2 (dx + dy) + N^2 log N)
    /// time, O(N^2) memory.
    /// </summary>
    /// <param name="x">N x dx, one input per row.</param>
    /// <param name="y">N x dy for the same inputs.</param>
    /// <param name="k">Neighbours per input; 1 &lt;= k &lt;= N - 1.</param>
    /// <returns>The alignment in [0, 1].</returns>
    /// <exception cref="ArgumentException">Different row counts, k &lt; 1 or N &lt; k + 1.</exception>
    public static double MutualKnn(Tensor x, Tensor y, int k)
    {
        CheckPair(x, y, k);
        using var scope = NewDisposeScope();
        return PairMutualKnn(Prepare(x, "X", k, withMask: true), Prepare(y, "Y", k, withMask: true));
    }

    /// <summary>
    /// Cycle k-NN: the share of inputs i for which some k-NN of i in Y has i among its k-NN in X (the reference's
    /// <c>cycle_knn</c>, <c>compute_knn_accuracy(knn_X[knn_Y])</c>). Not symmetric in X and Y. Cost
    /// O(N^2 (dx + dy) + N^2 log N + N k^2) time, O(N^2) memory.
    /// </summary>
    /// <param name="x">N x dx, one input per row.</param>
    /// <param name="y">N x dy for the same inputs.</param>
    /// <param name="k">Neighbours per input; 1 &lt;= k &lt;= N - 1.</param>
    /// <returns>The accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentException">Different row counts, k &lt; 1 or N &lt; k + 1.</exception>
    public static double CycleKnn(Tensor x, Tensor y, int k)
    {
        CheckPair(x, y, k);
        using var scope = NewDisposeScope();
        return PairCycleKnn(Prepare(x, "X", k, withMask: false), Prepare(y, "Y", k, withMask: false));
    }

    /// <summary>
    /// CKNNA (the reference's <c>cknna</c> with its defaults, unbiased and not distance-agnostic): CKA restricted
    /// to mutual neighbours. With K = X X^T and L = Y Y^T, each row's top k entries with the diagonal at -infinity
    /// give masks M_K and M_L; sim(K, L) = HSIC_unbiased((M_K ∘ M_L) ∘ K, (M_K ∘ M_L) ∘ L) (Song et al.'s eq. 5 on
    /// these not necessarily symmetric matrices, exactly as the reference evaluates it) and
    /// CKNNA = sim(K, L) / (sqrt(sim(K, K) sim(L, L)) + 1e-6). Not symmetric: the masked Grams are not symmetric, so
    /// the HSIC's colsum(K~) . rowsum(L~) term changes when X and Y swap. Cost O(N^2 (dx + dy) + N^2 log N) time,
    /// O(N^2) memory (the reference's N x N product in the HSIC is a product of a row-sum and a column-sum here).
    /// </summary>
    /// <param name="x">N x dx, one input per row.</param>
    /// <param name="y">N x dy for the same inputs.</param>
    /// <param name="k">Neighbours per input; 2 &lt;= k &lt;= N - 1.</param>
    /// <returns>The CKNNA value (about 1 for the same neighbourhood structure, 0 for none).</returns>
    /// <exception cref="ArgumentException">Different row counts, k &lt; 2, N &lt; k + 1 or N &lt; 4; or sim(K, K) or
    /// sim(L, L) not positive (the reference would return NaN, or a number when both are negative).</exception>
    public static double Cknna(Tensor x, Tensor y, int k)
    {
        CheckCknnaK(k);
        CheckPair(x, y, k);
        CheckCknnaRows(x);
        using var scope = NewDisposeScope();
        return PairCknna(PrepareCknna(x, "X", k), PrepareCknna(y, "Y", k));
    }

    /// <summary>
    /// A representation's neighbourhoods, the per-layer half of the k-NN measures: each input's k neighbours (N x k, nearest
    /// first), for mutual k-NN also as an N x N 0/1 mask, for CKNNA the Gram matrix, the mask of its top-k entries (diagonal
    /// at -infinity) and the neighbourhood HSIC of the layer with itself.
    /// </summary>
    internal sealed class Neighbourhoods(Tensor neighbours, Tensor? mask, Tensor? gram, double selfHsic, long rows) : PreparedLayer(rows)
    {
        /// <summary>N x k neighbour indices (mutual and cycle k-NN).</summary>
        public Tensor Neighbours { get; } = neighbours;

        /// <summary>N x N 0/1 mask (mutual k-NN float32, CKNNA float64), or null.</summary>
        public Tensor? Mask { get; } = mask;

        /// <summary>N x N float64 Gram matrix X X^T (CKNNA), or null.</summary>
        public Tensor? Gram { get; } = gram;

        /// <summary>CKNNA's HSIC of the masked Gram matrix with itself (positive).</summary>
        public double SelfHsic { get; } = selfHsic;

        /// <inheritdoc/>
        protected override IEnumerable<Tensor?> Owned => [Neighbours, Mask, Gram];
    }

    /// <summary>Mutual and cycle k-NN's per-layer work: the neighbour lists (and for mutual k-NN their mask). Cost O(N^2 d + N^2 log N).</summary>
    internal static Neighbourhoods Prepare(Tensor x, string name, int k, bool withMask)
    {
        CheckInput(x, name, k);
        var neighbours = Neighbours(x, k);
        var mask = withMask ? Mask(neighbours, x.shape[0], float32) : null;
        return new Neighbourhoods(neighbours, mask, null, 0, x.shape[0]);
    }

    /// <summary>Mutual k-NN of two prepared layers: |kNN_X(i) ∩ kNN_Y(i)| read from Y's mask at X's neighbours. Cost O(N k).</summary>
    internal static double PairMutualKnn(Neighbourhoods x, Neighbourhoods y)
    {
        long n = x.Rows, k = x.Neighbours.shape[1];
        double shared = y.Mask!.gather(1, x.Neighbours).to_type(float64).sum().item<double>();
        return shared / (n * (double)k);
    }

    /// <summary>Cycle k-NN of two prepared layers. Cost O(N k^2).</summary>
    internal static double PairCycleKnn(Neighbourhoods x, Neighbourhoods y)
    {
        long n = x.Rows, k = x.Neighbours.shape[1];
        var cycle = x.Neighbours.index_select(0, y.Neighbours.flatten()).view(n, k, k);
        var hit = cycle.eq(arange(n, int64, x.Neighbours.device).view(-1, 1, 1)).view(n, -1).any(1);
        return hit.to_type(float64).mean().item<double>();
    }

    /// <summary>CKNNA's per-layer work: the Gram matrix, its top-k mask and the layer's neighbourhood HSIC with itself. Cost O(N^2 d + N^2 log N).</summary>
    /// <exception cref="ArgumentException">That HSIC is not positive (CKNNA would take the square root of it).</exception>
    internal static Neighbourhoods PrepareCknna(Tensor x, string name, int k)
    {
        CheckCknnaK(k);
        CheckInput(x, name, k);
        CheckCknnaRows(x);
        var x64 = x.to_type(float64);
        var gram = x64.mm(x64.t());
        var neighbours = TopIndices(FillDiagonal(gram.clone(), double.NegativeInfinity), k);
        var mask = Mask(neighbours, x.shape[0], float64);
        var masked = mask * gram;
        double self = UnbiasedHsic(masked, masked);
        if (!(self > 0))
            throw new ArgumentException($"CKNNA is undefined: the neighbourhood HSIC of {name} with itself is {self:G6}, not positive ({name}'s k = {k} neighbourhoods carry no centred similarity), so it has no square root.");
        return new Neighbourhoods(neighbours, mask, gram, self, x.shape[0]);
    }

    /// <summary>CKNNA of two prepared layers: the HSIC on the shared neighbourhoods over the self terms. Cost O(N^2).</summary>
    internal static double PairCknna(Neighbourhoods x, Neighbourhoods y)
    {
        var shared = x.Mask! * y.Mask!;
        double xy = UnbiasedHsic(shared * x.Gram!, shared * y.Gram!);
        return xy / (Math.Sqrt(x.SelfHsic * y.SelfHsic) + CknnaEpsilon);
    }

    private static void CheckCknnaK(int k)
    {
        if (k < 2) throw new ArgumentException($"CKNNA needs k >= 2 (as the reference). Got k = {k} instead.", nameof(k));
    }

    private static void CheckCknnaRows(Tensor x)
    {
        if (x.shape[0] < 4)
            throw new ArgumentException($"CKNNA needs at least 4 inputs (its unbiased HSIC divides by N (N - 3)). Got {x.shape[0]} instead.");
    }

    /// <summary>
    /// Song et al.'s unbiased HSIC evaluated as the reference's <c>hsic_unbiased</c>, for any square K and L:
    /// [sum(K~ ∘ L~^T) + sum(K~) sum(L~) / ((m-1)(m-2)) - 2 1^T K~ L~ 1 / (m-2)] / (m (m-3)), K~ and L~ with
    /// zero diagonals. 1^T K~ L~ 1 is colsum(K~) . rowsum(L~), so the cost is O(m^2).
    /// </summary>
    internal static double UnbiasedHsic(Tensor gramK, Tensor gramL)
    {
        using var scope = NewDisposeScope();
        long m = gramK.shape[0];
        var k = FillDiagonal(gramK.clone(), 0.0);
        var l = FillDiagonal(gramL.clone(), 0.0);
        double trace = (k * l.t()).sum().item<double>();
        double totals = k.sum().item<double>() * l.sum().item<double>() / ((m - 1.0) * (m - 2.0));
        double paths = k.sum(0L).dot(l.sum(1L)).item<double>();
        return (trace + totals - 2 * paths / (m - 2.0)) / (m * (m - 3.0));
    }

    /// <summary>The indices of each row's k largest entries, largest first, ties by the lower index (a stable descending sort).</summary>
    private static Tensor TopIndices(Tensor scores, int k)
    {
        var (_, indices) = scores.sort(1, descending: true, stable: true);
        return indices.narrow(1, 0, k).contiguous();
    }

    /// <summary>The N x N 0/1 matrix with a 1 at (i, j) for each neighbour j of i.</summary>
    private static Tensor Mask(Tensor neighbours, long n, ScalarType type)
        => zeros(n, n, type, neighbours.device).scatter_(1, neighbours, ones(neighbours.shape, type, neighbours.device));

    private static void CheckInput(Tensor x, string name, int k)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() != 2) throw new ArgumentException($"'{name}' must be a 2-D N x d matrix (one input per row). Got {x.dim()} dimensions instead.", name);
        if (k < 1) throw new ArgumentException($"k (neighbours per input) must be at least 1. Got {k} instead.", nameof(k));
        if (x.shape[0] < k + 1L)
            throw new ArgumentException($"k-NN with k = {k} needs at least k + 1 = {k + 1L} inputs (each input's k neighbours are other inputs). Got {x.shape[0]} inputs instead; use a smaller k or more inputs.", name);
    }

    private static void CheckPair(Tensor x, Tensor y, int k)
    {
        CheckInput(x, nameof(x), k);
        CheckInput(y, nameof(y), k);
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"X has {x.shape[0]} rows but Y has {y.shape[0]} rows; the k-NN measures compare the same N inputs, so the row counts must match.");
    }

    /// <summary>Writes <paramref name="value"/> on the diagonal of the square matrix <paramref name="matrix"/> in place and returns it.</summary>
    private static Tensor FillDiagonal(Tensor matrix, double value)
    {
        using (var diagonal = matrix.diagonal()) diagonal.fill_(value);
        return matrix;
    }
}
