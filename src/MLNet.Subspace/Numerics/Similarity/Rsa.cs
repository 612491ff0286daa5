using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// Representational similarity analysis (Kriegeskorte et al. 2008) with rsatoolbox's conventions, as small
/// functions that compose: <c>Compare(Rdm(x), Rdm(y))</c>. Inputs are TorchSharp tensors with one input per row
/// (N x d); every product and sum runs in float64 whatever the input dtype.
/// </summary>
/// <remarks>
/// <para>An RDM (representational dissimilarity matrix) is the N x N matrix of dissimilarities between the rows
/// (<see cref="RdmDistance"/>); it is built from the Gram matrix G = X X^T (||x_i - x_j||^2 = g_ii + g_jj - 2 g_ij),
/// so no N x N x d intermediate exists: cost O(N^2 d) time, O(N^2 + N d) memory. Two RDMs are compared over
/// their upper triangles, the M = N (N - 1) / 2 entries i &lt; j in row-major order (NumPy's <c>triu_indices(N, 1)</c>,
/// SciPy's <c>squareform</c> order), with <see cref="RdmComparison"/>: Pearson and cosine cost O(M), Spearman
/// (average ranks) and Kendall's tau-a (Knight's merge-sort algorithm) O(M log M) = O(N^2 log N).</para>
/// <para>Degenerate inputs never give a silent number: fewer than 2 rows (an RDM) or 3 rows (a comparison needs
/// at least 2 dissimilarities), a constant row under the correlation distance, an all-zero row under the cosine
/// distance, an RDM whose dissimilarities are all equal (Pearson and Spearman are 0/0, tau-a is 0 from ties alone), an all-zero RDM (cosine
/// is 0/0), NaN values or different row counts throw an <see cref="ArgumentException"/> that says why.</para>
/// <para>References: [1] Kriegeskorte, Mur, Bandettini, "Representational similarity analysis - connecting the
/// branches of systems neuroscience", Front. Syst. Neurosci. 2008. [2] rsatoolbox (rsatoolbox.rdm.calc_rdm,
/// rsatoolbox.rdm.compare). [3] Knight, "A computer method for calculating Kendall's tau with ungrouped data",
/// JASA 1966.</para>
/// </remarks>
public static class Rsa
{
    /// <summary>Relative size (squared norms) under which a centred row counts as constant for the correlation distance.</summary>
    internal const double ConstantRowTolerance = 1e-24;

    /// <summary>
    /// The N x N RDM of <paramref name="x"/> (float64, symmetric, zero diagonal) for <paramref name="distance"/>:
    /// rsatoolbox's 'euclidean' (squared distance / d), 'correlation' (1 - Pearson r of the rows) or 'cosine'
    /// (1 - cosine of the rows). Cost O(N^2 d) time (one Gram matrix), O(N^2 + N d) memory.
    /// </summary>
    /// <param name="x">An N x d matrix, one input per row; N &gt;= 2.</param>
    /// <param name="distance">The dissimilarity between two rows.</param>
    /// <returns>The N x N float64 RDM.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 rows; a constant row (correlation) or an all-zero row (cosine).</exception>
    public static Tensor Rdm(Tensor x, RdmDistance distance = RdmDistance.Euclidean)
    {
        CheckMatrix(x, nameof(x));
        using var scope = NewDisposeScope();
        var x64 = x.to_type(float64);
        long d = x64.shape[1];
        Tensor rdm;
        switch (distance)
        {
            case RdmDistance.Euclidean:
            {
                var gram = x64.mm(x64.t());
                var squared = gram.diagonal();
                rdm = (squared.unsqueeze(1) + squared.unsqueeze(0) - 2 * gram).clamp_min_(0) / d;
                break;
            }
            case RdmDistance.Correlation:
            {
                var centred = x64 - x64.mean([1], keepdim: true);
                var norms = RowNorms(centred, x64, x, "is constant (all its features are equal), so its Pearson correlation with any row is 0/0 and the correlation distance is undefined");
                var unit = centred / norms.unsqueeze(1);
                rdm = 1 - unit.mm(unit.t());
                break;
            }
            case RdmDistance.Cosine:
            {
                var norms = RowNorms(x64, x64, x, "is all zeros, so its cosine with any row is 0/0 and the cosine distance is undefined");
                var unit = x64 / norms.unsqueeze(1);
                rdm = 1 - unit.mm(unit.t());
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(distance), $"Unknown RDM distance {distance}.");
        }
        // Exactly symmetric with an exact zero diagonal (the products above are symmetric only up to rounding).
        rdm = (rdm + rdm.t()) / 2;
        FillDiagonal(rdm, 0.0);
        return rdm.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The M = N (N - 1) / 2 entries above the diagonal of an N x N matrix, row by row (NumPy's
    /// <c>rdm[np.triu_indices(N, 1)]</c>). Cost O(N^2).
    /// </summary>
    /// <param name="rdm">An N x N matrix.</param>
    /// <returns>A float64 vector of length M.</returns>
    public static Tensor UpperTriangle(Tensor rdm)
    {
        CheckSquare(rdm, nameof(rdm));
        using var scope = NewDisposeScope();
        long n = rdm.shape[0];
        var mask = ones(n, n, float64, rdm.device).triu(1).gt(0);
        return rdm.to_type(float64).masked_select(mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Compares two RDMs over the same N inputs by their upper triangles. Cost O(N^2) for Pearson and cosine,
    /// O(N^2 log N) for Spearman and Kendall's tau-a.
    /// </summary>
    /// <param name="rdmX">An N x N RDM.</param>
    /// <param name="rdmY">An N x N RDM over the same inputs.</param>
    /// <param name="comparison">Spearman (average ranks for ties), Pearson, Kendall's tau-a or cosine.</param>
    /// <returns>The similarity of the RDMs, in [-1, 1].</returns>
    /// <exception cref="ArgumentException">Different sizes, N &lt; 3, NaN entries, or an RDM for which the comparison is 0/0 (all dissimilarities equal for Pearson, Spearman and Kendall's tau-a, all zero for cosine).</exception>
    public static double Compare(Tensor rdmX, Tensor rdmY, RdmComparison comparison = RdmComparison.Spearman)
    {
        CheckSquare(rdmX, nameof(rdmX));
        CheckSquare(rdmY, nameof(rdmY));
        if (rdmX.shape[0] != rdmY.shape[0])
            throw new ArgumentException($"RDM X is {rdmX.shape[0]}x{rdmX.shape[0]} but RDM Y is {rdmY.shape[0]}x{rdmY.shape[0]}; RSA compares RDMs over the same N inputs, so the sizes must match.");
        CheckComparable(rdmX.shape[0]);
        return Pair(Prepare(Values(rdmX, "X"), rdmX.shape[0], "X", comparison), Prepare(Values(rdmY, "Y"), rdmY.shape[0], "Y", comparison), comparison);
    }

    /// <summary>
    /// RSA between two representations of the same N inputs: <c>Compare(Rdm(x, distance), Rdm(y, distance), comparison)</c>.
    /// Cost O(N^2 (dx + dy)) for the RDMs plus the comparison's O(N^2) or O(N^2 log N); memory O(N^2).
    /// </summary>
    /// <param name="x">N x dx, one input per row.</param>
    /// <param name="y">N x dy for the same inputs.</param>
    /// <param name="distance">The dissimilarity within each representation.</param>
    /// <param name="comparison">How the two RDMs are compared.</param>
    /// <returns>The RSA similarity in [-1, 1].</returns>
    /// <exception cref="ArgumentException">Different row counts, or a degenerate input (see <see cref="Rdm"/> and <see cref="Compare"/>).</exception>
    public static double Compute(Tensor x, Tensor y, RdmDistance distance = RdmDistance.Euclidean, RdmComparison comparison = RdmComparison.Spearman)
    {
        CheckMatrix(x, nameof(x));
        CheckMatrix(y, nameof(y));
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"X has {x.shape[0]} rows but Y has {y.shape[0]} rows; RSA compares the same N inputs, so the row counts must match.");
        using var scope = NewDisposeScope();
        return Pair(Prepare(x, "X", distance, comparison), Prepare(y, "Y", distance, comparison), comparison);
    }

    /// <summary>
    /// One RDM's upper triangle, ready for its comparison: for Pearson centred and scaled to unit norm, for Spearman the
    /// same on its average ranks, for cosine scaled to unit norm (so each comparison is one dot product), for Kendall's
    /// tau-a as it is. RSA's per-layer half.
    /// </summary>
    /// <param name="values">The M = N (N - 1) / 2 prepared values.</param>
    /// <param name="rows">N.</param>
    internal sealed class Dissimilarities(double[] values, long rows) : PreparedLayer(rows)
    {
        /// <summary>The prepared upper triangle.</summary>
        public double[] Values { get; } = values;

        /// <inheritdoc/>
        protected override IEnumerable<Tensor?> Owned => [];
    }

    /// <summary>RSA's per-layer work: the RDM and its prepared upper triangle. Cost O(N^2 d) plus O(N^2 log N) for Spearman's ranks.</summary>
    internal static Dissimilarities Prepare(Tensor x, string name, RdmDistance distance, RdmComparison comparison)
    {
        CheckMatrix(x, name);
        CheckComparable(x.shape[0]);
        using var scope = NewDisposeScope();
        return Prepare(Values(Rdm(x, distance), name), x.shape[0], name, comparison);
    }

    /// <summary>RSA of two prepared layers: one dot product, O(N^2) (Kendall's tau-a: O(N^2 log N)).</summary>
    internal static double Pair(Dissimilarities x, Dissimilarities y, RdmComparison comparison)
    {
        if (comparison == RdmComparison.KendallTauA) return KendallTauA(x.Values, y.Values);
        double sum = 0;
        for (int i = 0; i < x.Values.Length; i++) sum += x.Values[i] * y.Values[i];
        return Math.Clamp(sum, -1.0, 1.0);
    }

    private static Dissimilarities Prepare(double[] values, long rows, string name, RdmComparison comparison) => comparison switch
    {
        RdmComparison.Pearson => new(Standardised(values, name, "Pearson r", "dissimilarities"), rows),
        RdmComparison.Spearman => new(Standardised(AverageRanks(values), name, "Spearman's rho", "dissimilarities (so all ranks are tied)"), rows),
        RdmComparison.KendallTauA => new(CheckNotFlat(values, name) ? values : [], rows),
        RdmComparison.Cosine => new(UnitLength(values, name), rows),
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), $"Unknown RDM comparison {comparison}."),
    };

    private static void CheckComparable(long n)
    {
        if (n < 3)
            throw new ArgumentException($"Comparing RDMs needs at least 3 inputs (at least 2 dissimilarities above the diagonal). Got {n} instead.");
    }

    /// <summary>Ranks from 1 with ties given the average of their ranks (SciPy's <c>rankdata(method='average')</c>). Cost O(M log M).</summary>
    internal static double[] AverageRanks(double[] values)
    {
        int m = values.Length;
        var order = new int[m];
        for (int i = 0; i < m; i++) order[i] = i;
        var keys = (double[])values.Clone();
        Array.Sort(keys, order);
        var ranks = new double[m];
        for (int start = 0; start < m;)
        {
            int end = start + 1;
            while (end < m && keys[end] == keys[start]) end++;
            double rank = (start + 1 + end) / 2.0; // the mean of ranks start+1 .. end
            for (int i = start; i < end; i++) ranks[order[i]] = rank;
            start = end;
        }
        return ranks;
    }

    /// <summary>
    /// Kendall's tau-a = (C - D) / (M (M - 1) / 2) by Knight's algorithm: sort by (a, b), count the ties in a,
    /// in b and in both, and the discordant pairs as the inversions of b (merge sort). Cost O(M log M).
    /// </summary>
    internal static double KendallTauA(double[] a, double[] b)
    {
        int m = a.Length;
        var order = new int[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Array.Sort(order, (i, j) => a[i] != a[j] ? a[i].CompareTo(a[j]) : b[i].CompareTo(b[j]));
        long tiesA = 0, tiesBoth = 0;
        for (int start = 0; start < m;)
        {
            int end = start + 1;
            while (end < m && a[order[end]] == a[order[start]]) end++;
            tiesA += Pairs(end - start);
            for (int s = start; s < end;)
            {
                int e = s + 1;
                while (e < end && b[order[e]] == b[order[s]]) e++;
                tiesBoth += Pairs(e - s);
                s = e;
            }
            start = end;
        }
        var sortedB = new double[m];
        for (int i = 0; i < m; i++) sortedB[i] = b[order[i]];
        long discordant = SortCountingInversions(sortedB, new double[m], 0, m);
        long tiesB = 0;
        for (int start = 0; start < m;)
        {
            int end = start + 1;
            while (end < m && sortedB[end] == sortedB[start]) end++;
            tiesB += Pairs(end - start);
            start = end;
        }
        long total = Pairs(m);
        long concordantMinusDiscordant = total - tiesA - tiesB + tiesBoth - 2 * discordant;
        return concordantMinusDiscordant / (double)total;
    }

    private static long Pairs(long count) => count * (count - 1) / 2;

    /// <summary>Sorts values[from, to) ascending and returns the pairs i &lt; j with values[i] &gt; values[j] (equal values are no inversion).</summary>
    private static long SortCountingInversions(double[] values, double[] buffer, int from, int to)
    {
        if (to - from < 2) return 0;
        int middle = from + (to - from) / 2;
        long count = SortCountingInversions(values, buffer, from, middle) + SortCountingInversions(values, buffer, middle, to);
        int left = from, right = middle, k = from;
        while (left < middle && right < to)
        {
            if (values[left] <= values[right]) buffer[k++] = values[left++];
            else
            {
                count += middle - left;
                buffer[k++] = values[right++];
            }
        }
        while (left < middle) buffer[k++] = values[left++];
        while (right < to) buffer[k++] = values[right++];
        Array.Copy(buffer, from, values, from, to - from);
        return count;
    }

    /// <summary>The values centred and scaled to unit norm, so Pearson r of two of them is their dot product.</summary>
    private static double[] Standardised(double[] values, string name, string measure, string what)
    {
        double mean = Mean(values), squares = 0;
        var centred = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            centred[i] = values[i] - mean;
            squares += centred[i] * centred[i];
        }
        CheckSpread(squares, values, name, measure, what);
        double norm = Math.Sqrt(squares);
        for (int i = 0; i < centred.Length; i++) centred[i] /= norm;
        return centred;
    }

    private static double[] UnitLength(double[] values, string name)
    {
        double squares = 0;
        foreach (double v in values) squares += v * v;
        if (squares == 0) throw new ArgumentException($"RDM {name} is all zeros (every input has the same representation), so the cosine of the RDMs is 0/0.");
        double norm = Math.Sqrt(squares);
        return values.Select(v => v / norm).ToArray();
    }

    /// <summary>Refuses an RDM whose dissimilarities are all equal: tau-a would be 0 from ties alone, which says nothing about similarity.</summary>
    private static bool CheckNotFlat(double[] values, string name)
    {
        foreach (double v in values)
            if (v != values[0]) return true;
        throw new ArgumentException($"RDM {name} has all {values.Length} dissimilarities equal, so every pair is tied and Kendall's tau-a (0 from ties alone) measures nothing.");
    }

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }

    private static void CheckSpread(double centredSquares, double[] values, string name, string measure, string what)
    {
        double scale = 0;
        foreach (double v in values) scale += v * v;
        if (centredSquares <= ConstantRowTolerance * scale || centredSquares == 0)
            throw new ArgumentException($"RDM {name} has all {values.Length} {what} equal, so {measure} is 0/0.");
    }

    private static double[] Values(Tensor rdm, string name)
    {
        using var scope = NewDisposeScope();
        double[] values = UpperTriangle(rdm).cpu().data<double>().ToArray();
        foreach (double v in values)
            if (!double.IsFinite(v))
                throw new ArgumentException($"RDM {name} holds NaN or infinite dissimilarities (the representation holds NaN or infinite values).");
        return values;
    }

    /// <summary>Each row's norm, refusing a row whose (centred) squared norm is zero relative to its raw squared norm.</summary>
    private static Tensor RowNorms(Tensor rows, Tensor raw, Tensor input, string reason)
    {
        var squares = (rows * rows).sum(1);
        var scale = (raw * raw).sum(1);
        var degenerate = squares.le(scale * ConstantRowTolerance).logical_or(squares.eq(0));
        if (degenerate.any().item<bool>())
        {
            long row = degenerate.nonzero()[0, 0].item<long>();
            throw new ArgumentException($"Row {row + 1} (counted from 1) of the {input.shape[0]}x{input.shape[1]} representation {reason}.");
        }
        return squares.sqrt();
    }

    private static void CheckMatrix(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() != 2) throw new ArgumentException($"'{name}' must be a 2-D N x d matrix (one input per row). Got {x.dim()} dimensions instead.", name);
        if (x.shape[0] < 2) throw new ArgumentException($"'{name}' must have at least 2 rows (inputs) for an RDM. Got {x.shape[0]} instead.", name);
        if (x.shape[1] < 1) throw new ArgumentException($"'{name}' must have at least 1 column (feature). Got 0 instead.", name);
    }

    private static void CheckSquare(Tensor rdm, string name)
    {
        ArgumentNullException.ThrowIfNull(rdm, name);
        if (rdm.dim() != 2 || rdm.shape[0] != rdm.shape[1])
            throw new ArgumentException($"'{name}' must be a square N x N RDM. Got shape [{string.Join(", ", rdm.shape)}] instead.", name);
    }

    /// <summary>Writes <paramref name="value"/> on the diagonal of the square matrix <paramref name="matrix"/> in place and returns it.</summary>
    private static Tensor FillDiagonal(Tensor matrix, double value)
    {
        using (var diagonal = matrix.diagonal()) diagonal.fill_(value);
        return matrix;
    }
}
