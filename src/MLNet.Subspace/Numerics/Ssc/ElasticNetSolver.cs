using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// Elastic-net subspace clustering (EnSC, You, Li, Robinson &amp; Vidal, CVPR 2016) with the oracle-guided active-set
/// method (ORGEN): for each unit-normalised sample, min τ||c||<sub>1</sub> + (1−τ)/2 ||c||<sup>2</sup> + γ/2 ||x<sub>i</sub> − Xc||<sup>2</sup>,
/// c<sub>i</sub> = 0, with γ = α γ<sub>0</sub> and γ<sub>0</sub> = τ / max<sub>j≠i</sub>|x<sub>j</sub><sup>T</sup>x<sub>i</sub>| the smallest γ with a non-zero
/// solution (scale-free; τ = 1 is SSC-BP/Lasso, τ → 0 least squares).
/// </summary>
/// <remarks>
/// ORGEN: start from the <see cref="InitialSupport"/> most correlated samples; solve the problem restricted to the support
/// T exactly by feature-sign search (<see cref="FeatureSign"/>); form the oracle point δ = γ(x<sub>i</sub> − X<sub>T</sub>c<sub>T</sub>); every j
/// with |x<sub>j</sub><sup>T</sup>δ| &gt; τ violates optimality and joins T (the <see cref="MaximumAdditions"/> largest per round), zero
/// coefficients leave; stop when nothing violates (the restricted solution is then the global one). Samples are processed in
/// batches of b: one GEMM X<sup>T</sup>Δ (N x D x b) per round finds the violators of the whole batch. Cost O(rounds · D N²) time
/// overall plus the restricted solves (O(|T|³) per feature-sign step, in parallel over the columns); memory O(N b + N |T|) — no
/// N x N matrix.
/// <para>Memory is bounded before starting (<see cref="EstimateBytes"/>): the support can grow to
/// |T| ≤ min(N − 1, <see cref="InitialSupport"/> + <see cref="MaximumRounds"/> · <see cref="MaximumAdditions"/>), and the restricted
/// problems of a batch are gathered (b' x |T| x D atoms, b' x |T| x |T| Gram matrices) in chunks of b' columns with
/// b' |T| max(D, |T|) ≤ <see cref="BlockElements"/>, so no round allocates more than the estimate counts however the support
/// grows (on noisy data it did: a whole batch's b x |T| x D gather reached 18 GB at N ≈ 1,000).</para>
/// <para>Gram space (<see cref="GramSpace"/>; by default when D ≥ N and G fits): one GEMM G = X<sup>T</sup>X, O(N² D), then
/// every round reads G only: the restricted Gram matrices G[T, T] (gathered by flat index, chunks of b' |T|² ≤
/// <see cref="BlockElements"/> elements), the right-hand sides G[i, T], and the oracle correlations
/// X<sup>T</sup>δ = γ(G[i, :] − c<sub>T</sub><sup>T</sup>G[T, :]) as one sparse-times-dense product (the batch's codes, Σ|T| non-zeros, times G):
/// O(|T| N) per column and round instead of O((|T| + N) D), with no b x |T| x N gather. Memory N² more than the X path.
/// G is in <see cref="SelfExpressionSolver.DType"/>, so in float32 the restricted problems and the oracle correlations carry its
/// rounding (~1e-7 relative) where the X path forms the restricted problems in float64.</para>
/// </remarks>
public sealed class ElasticNetSolver : SelfExpressionSolver
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>α: γ = α γ<sub>0</sub> (50, as the peer's Lasso).</summary>
        public const double Alpha = 50;
        /// <summary>τ, the l1 share of the penalty.</summary>
        public const double Tau = 1.0;
        /// <summary>Size of the starting support.</summary>
        public const int InitialSupport = 20;
        /// <summary>Largest number of violators added per round.</summary>
        public const int MaximumAdditions = 20;
        /// <summary>Cap on active-set rounds.</summary>
        public const int MaximumRounds = 30;
        /// <summary>Elements of the N x b correlation block per batch.</summary>
        public const long BlockElements = 1L << 25;
    }

    /// <inheritdoc />
    public override string Name => "ensc";

    /// <summary>α &gt; 1: γ = α γ<sub>0</sub>.</summary>
    public double Alpha { get; init; } = Defaults.Alpha;

    /// <summary>τ in (0, 1].</summary>
    public double Tau { get; init; } = Defaults.Tau;

    /// <summary>Starting support size.</summary>
    public int InitialSupport { get; init; } = Defaults.InitialSupport;

    /// <summary>Violators added per round at most.</summary>
    public int MaximumAdditions { get; init; } = Defaults.MaximumAdditions;

    /// <summary>Active-set rounds at most.</summary>
    public int MaximumRounds { get; init; } = Defaults.MaximumRounds;

    /// <summary>Size of the N x b correlation block, which sets the batch size.</summary>
    public long BlockElements { get; init; } = Defaults.BlockElements;

    /// <summary>Solve on the Gram matrix G = X<sup>T</sup>X (true), on X (false), or choose (null: G when D ≥ N and it fits in memory).</summary>
    public bool? GramSpace { get; init; }

    /// <summary>
    /// An upper bound of the working memory: the unit-length samples in both layouts and a float64 copy (2 N D in
    /// <see cref="SelfExpressionSolver.DType"/> + 8 N D bytes); per batch of b = clamp(BlockElements / N, 1, N) columns, the b x N
    /// correlation blocks (2 b N), the targets, fits and oracle points (6 b D float64), the supports, coefficients and padded index
    /// (48 b |T|max); per chunk of the restricted problems, the gathered atoms and the Gram matrices as a tensor and as a
    /// managed copy (3 BlockElements float64); and the codes' triplets (32 N |T|max, lists at double capacity).
    /// |T|max = min(N − 1, InitialSupport + MaximumRounds · MaximumAdditions).
    /// </summary>
    /// <param name="n">Number of samples.</param>
    /// <param name="d">Ambient dimension.</param>
    /// <remarks>In Gram space: the unit samples and G (N D + N² in DType), the b x N correlation blocks (2 b N), the batch's
    /// codes as a sparse matrix (managed and tensor positions and values, 56 b |T|max), the same support and triplet terms, and
    /// the chunks of restricted Gram matrices G[T, T] (flat index, the gather in DType, its float64 copy and a managed copy:
    /// 32 bytes per element of min(BlockElements, b |T|max²)).</remarks>
    public override long EstimateBytes(int n, int d) => Bytes(n, d, UsesGram(n, d));

    /// <summary>Whether a solve of <paramref name="n"/> samples of dimension <paramref name="d"/> runs in Gram space.</summary>
    internal bool UsesGram(int n, int d) => Ssc.GramSpace.Use(GramSpace, n, d, Bytes(n, d, gram: true));

    private long Bytes(int n, int d, bool gram)
    {
        long b = Batch(n), s = MaximumSupport(n), e = ElementBytes;
        long perBatch = 2L * b * n * e + 48L * b * s + 32L * n * s;
        return gram
            ? (long)n * d * e + (long)n * n * e + 56L * b * s + 32L * Math.Max(Math.Min(Gather, b * s * s), s * s) + perBatch
            : 2L * n * d * e + 8L * n * d + 6L * b * d * 8 + 3L * Math.Max(Math.Min(Gather, b * s * Math.Max(d, s)), s * Math.Max(d, s)) * 8 + perBatch;
    }

    /// <summary>Elements of one chunk of gathered restricted problems; <see cref="BlockElements"/> unless a test sets it apart.</summary>
    internal long? GatherElements { get; init; }

    private long Gather => GatherElements ?? BlockElements;

    /// <summary>Columns per batch: the b x N correlation block holds at most <see cref="BlockElements"/> elements.</summary>
    private int Batch(int n) => (int)Math.Clamp(BlockElements / Math.Max(n, 1), 1, Math.Max(n, 1));

    /// <summary>The largest support a code can reach: the initial one plus every round's additions, at most N − 1.</summary>
    internal int MaximumSupport(int n) => (int)Math.Min(Math.Max(n - 1, 1), (long)Math.Min(InitialSupport, n - 1) + (long)MaximumRounds * MaximumAdditions);

    /// <summary>Largest gathered block (elements) of the last solve: the b' x |T| x max(D, |T|) chunk (b' x |T| x |T| in Gram
    /// space) or the b x N correlation block; the chunk is at most max(min(BlockElements, b |T|max max(D, |T|max)),
    /// |T|max max(D, |T|max)) by construction, as <see cref="EstimateBytes"/> counts it (tests read it).</summary>
    internal long LargestBlock { get; private set; }

    /// <inheritdoc />
    protected override (SparseMatrix, int, bool) SolveColumns(Tensor x)
    {
        int n = (int)x.shape[1];
        if (!(Alpha > 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), $"The 'Alpha' option of ElasticNetSolver must be > 1 (α ≤ 1 gives all-zero codes). Got {Alpha} instead.");
        if (!(Tau > 0 && Tau <= 1)) throw new ArgumentOutOfRangeException(nameof(Tau), $"The 'Tau' option of ElasticNetSolver must be in (0, 1]. Got {Tau} instead.");
        var xn = OmpSolver.NormalizeColumns(x);
        var gram = UsesGram(n, (int)x.shape[0]) ? Ssc.GramSpace.Of(xn) : null;
        var atoms = gram is null ? xn.t().contiguous() : null; // N x D
        var atomsT = gram is null ? xn.contiguous() : null;    // D x N: correlation blocks are b x N (reductions along contiguous rows)
        int batch = Batch(n);
        LargestBlock = 0;
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<double>();
        int maxRounds = 0;
        bool converged = true;
        for (int start = 0; start < n; start += batch)
        {
            using var scope = NewDisposeScope();
            int b = Math.Min(batch, n - start);
            var (supports, coefs, rounds, done) = SolveBatch(atoms, atomsT, gram, xn[.., start..(start + b)], start);
            maxRounds = Math.Max(maxRounds, rounds);
            converged &= done;
            for (int j = 0; j < b; j++)
                for (int t = 0; t < supports[j].Length; t++)
                    if (coefs[j][t] != 0 && double.IsFinite(coefs[j][t])) { rows.Add(start + j); cols.Add(supports[j][t]); vals.Add(coefs[j][t]); }
        }
        return (SparseMatrix.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), vals.ToArray()), maxRounds, converged);
    }

    /// <summary>One batch of columns start..start + b − 1, on X (<paramref name="atoms"/>, <paramref name="atomsT"/>) or on
    /// <paramref name="gram"/> (the others null).</summary>
    private (int[][] Supports, double[][] Coefs, int Rounds, bool Converged) SolveBatch(Tensor? atoms, Tensor? atomsT, Tensor? gram, Tensor y, int start)
    {
        int n = gram is not null ? (int)gram.shape[0] : (int)atoms!.shape[0];
        int b = (int)y.shape[1];
        int d = (int)y.shape[0];
        var device = y.device;
        var self = arange(start, start + b, dtype: ScalarType.Int64, device: device).unsqueeze(1); // b x 1
        var gramBatch = gram?[start..(start + b)]; // b x N view: row j = X^T x_j (G is symmetric), no copy
        var corr0 = gramBatch is not null ? gramBatch.abs() : y.t().matmul(atomsT!).abs_(); // b x N
        corr0.scatter_(1, self, zeros(self.shape, corr0.dtype, corr0.device));
        var maxCorr = corr0.amax(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var gamma = maxCorr.Select(m => m > 1e-12 ? Alpha * Tau / m : 0.0).ToArray();
        int s0 = Math.Min(InitialSupport, n - 1);
        var init = corr0.topk(s0, 1).indexes.contiguous().to(ScalarType.Int32).cpu().data<int>().ToArray(); // b x s0
        corr0.Dispose();
        var supports = new int[b][];
        var coefs = new double[b][];
        for (int j = 0; j < b; j++)
        {
            supports[j] = init.AsSpan(j * s0, s0).ToArray();
            coefs[j] = new double[s0];
        }
        var yT = gram is null ? y.t().contiguous().to(ScalarType.Float64) : null; // b x D
        var atoms64 = atoms?.to(ScalarType.Float64);
        var gammaT = tensor(gamma, device: device).unsqueeze(1); // b x 1
        LargestBlock = Math.Max(LargestBlock, (long)b * n);
        int round = 0;
        bool converged = false;
        while (round < MaximumRounds)
        {
            using var step = NewDisposeScope();
            round++;
            int s = supports.Max(t => t.Length);
            var idx = new long[(long)b * s];
            for (int j = 0; j < b; j++)
                for (int t = 0; t < s; t++)
                    idx[(long)j * s + t] = t < supports[j].Length ? supports[j][t] : start + j; // pad with self (never read: see FeatureSign's m)
            var index = tensor(idx, [b, s], device: device);
            // The restricted problems in chunks of b' columns, each within BlockElements however large the support grows:
            // on X the b' x S x D gathered atoms (and their b' x S x S Gram matrices); in Gram space only G[T, T], b' x S x S.
            int chunk = (int)Math.Clamp(Gather / ((long)s * (gram is not null ? s : Math.Max(d, s))), 1, b);
            var fits = new List<Tensor>();
            for (int j0 = 0; j0 < b; j0 += chunk)
            {
                // Each chunk's temporaries go at its end, so a round holds one chunk at a time (a round at N = 5,000 that kept them
                // all reached 13.7 GB).
                using var chunkScope = NewDisposeScope();
                int cb = Math.Min(chunk, b - j0);
                var chunkIndex = index[j0..(j0 + cb)];
                Tensor restricted, target, a = null!;
                if (gram is not null)
                {
                    LargestBlock = Math.Max(LargestBlock, (long)cb * s * s);
                    // G[T, T] read straight from G (flat indices T_p N + T_q) and G[T, i] = G[i, T] from the batch's rows.
                    restricted = gram.flatten().index_select(0, chunkIndex.unsqueeze(2).mul(n).add(chunkIndex.unsqueeze(1)).flatten()).view(cb, s, s).to(ScalarType.Float64);
                    target = gramBatch![j0..(j0 + cb)].gather(1, chunkIndex).to(ScalarType.Float64);
                }
                else
                {
                    LargestBlock = Math.Max(LargestBlock, (long)cb * s * Math.Max(d, s));
                    a = atoms64!.index_select(0, chunkIndex.flatten()).view(cb, s, d); // b' x S x D
                    restricted = a.bmm(a.transpose(1, 2));
                    target = a.bmm(yT![j0..(j0 + cb)].unsqueeze(2)).squeeze(2);
                }
                var gramValues = restricted.contiguous().cpu().data<double>().ToArray();
                var rhs = target.contiguous().cpu().data<double>().ToArray();
                int first = j0;
                Parallel.For(0, cb, jj =>
                {
                    int j = first + jj;
                    var c = new double[s];
                    Array.Copy(coefs[j], c, coefs[j].Length);
                    FeatureSign(gramValues.AsSpan(jj * s * s, s * s), rhs.AsSpan(jj * s, s), c, supports[j].Length, s, gamma[j], Tau);
                    coefs[j] = c;
                });
                if (gram is null)
                {
                    var cT = tensor(coefs.Skip(j0).Take(cb).SelectMany(c => c).ToArray(), [cb, s], ScalarType.Float64, device: device);
                    fits.Add(a.transpose(1, 2).bmm(cT.unsqueeze(2)).squeeze(2).MoveToOuterDisposeScope()); // b' x D: X_T c_T
                }
            }
            // Oracle correlations |X^T δ| with δ = γ(x_i − X_T c_T).
            var corr = gram is not null
                ? OracleCorrelations(gram, gramBatch!, supports, coefs).abs_().mul_(gammaT)
                : ((yT! - cat(fits, 0)) * gammaT).to(y.dtype).matmul(atomsT!).abs_(); // b x N
            corr.scatter_(1, self, zeros(self.shape, corr.dtype, corr.device));
            corr.scatter_(1, index, zeros(index.shape, corr.dtype, corr.device));
            int add = Math.Min(MaximumAdditions, n - 1);
            var (top, where) = corr.topk(add, 1);
            var topV = top.contiguous().to(ScalarType.Float64).cpu().data<double>().ToArray();
            var topI = where.contiguous().to(ScalarType.Int32).cpu().data<int>().ToArray();
            double limit = Tau * (1 + 1e-6) + 1e-9;
            bool any = false;
            for (int j = 0; j < b; j++)
            {
                var kept = new List<int>();
                var keptC = new List<double>();
                for (int t = 0; t < supports[j].Length; t++)
                    if (coefs[j][t] != 0) { kept.Add(supports[j][t]); keptC.Add(coefs[j][t]); }
                int added = 0;
                for (int t = 0; t < add; t++)
                    if (topV[j * add + t] > limit) { kept.Add(topI[j * add + t]); keptC.Add(0); added++; }
                if (added > 0) any = true;
                supports[j] = kept.ToArray();
                coefs[j] = keptC.ToArray();
            }
            if (!any) { converged = true; break; }
        }
        return (supports, coefs, round, converged);
    }

    /// <summary>X<sup>T</sup>(x<sub>i</sub> − X<sub>T</sub>c<sub>T</sub>) = G[i, :] − c<sub>T</sub><sup>T</sup>G[T, :] for every code of the batch, b x N, in one
    /// product: the batch's rows of G minus the codes as a sparse b x N matrix (its non-zeros only) times G (symmetric), i.e. per
    /// code a sum of |T| rows of G: O(Σ|T| N) reads and no b x |T| x N gather (the gather and its float64 copy took 75 % of
    /// EnSC's time at N = 2,000).</summary>
    private static Tensor OracleCorrelations(Tensor gram, Tensor gramBatch, int[][] supports, double[][] coefs)
    {
        int b = supports.Length;
        long nnz = 0;
        for (int j = 0; j < b; j++)
            for (int t = 0; t < supports[j].Length; t++)
                if (coefs[j][t] != 0) nnz++;
        var positions = new long[2 * nnz];
        var values = new double[nnz];
        long k = 0;
        for (int j = 0; j < b; j++)
            for (int t = 0; t < supports[j].Length; t++)
                if (coefs[j][t] != 0)
                {
                    positions[k] = j;
                    positions[nnz + k] = supports[j][t];
                    values[k++] = coefs[j][t];
                }
        var codes = sparse_coo_tensor(tensor(positions, [2, nnz], device: gram.device), tensor(values, device: gram.device).to(gram.dtype), [b, gram.shape[0]]);
        return addmm(gramBatch, codes, gram, 1, -1);
    }

    /// <summary>
    /// Exact solve of the restricted problem min ½cᵀHc − bᵀc + τ||c||₁ with H = γG + (1 − τ)I, b = γr, over the first
    /// <paramref name="m"/> coordinates, by feature-sign search (Lee, Battle, Raina &amp; Ng, NIPS 2006): grow a signed active
    /// set, solve the equality-constrained QP on it, line-search over sign changes. Finite; warm-started from the support of
    /// <paramref name="c"/>. Falls back to coordinate descent if the step budget runs out.
    /// </summary>
    internal static void FeatureSign(ReadOnlySpan<double> g, ReadOnlySpan<double> r, Span<double> c, int m, int stride, double gamma, double tau)
    {
        for (int j = m; j < c.Length; j++) c[j] = 0;
        if (gamma <= 0 || m == 0) { c.Clear(); return; }
        var h = new double[m * m];
        var b = new double[m];
        double trace = 0;
        for (int i = 0; i < m; i++)
        {
            b[i] = gamma * r[i];
            for (int j = 0; j < m; j++) h[i * m + j] = gamma * g[i * stride + j];
            h[i * m + i] += 1 - tau;
            trace += h[i * m + i];
        }
        double ridge = 1e-12 * Math.Max(trace / m, 1e-300);
        var x = new double[m];
        for (int i = 0; i < m; i++) x[i] = c[i];
        var grad = new double[m];
        void Gradient()
        {
            for (int i = 0; i < m; i++)
            {
                double sum = -b[i];
                for (int j = 0; j < m; j++) if (x[j] != 0) sum += h[i * m + j] * x[j];
                grad[i] = sum;
            }
        }
        double Objective(double[] v)
        {
            double f = 0;
            for (int i = 0; i < m; i++)
            {
                if (v[i] == 0) continue;
                double hv = 0;
                for (int j = 0; j < m; j++) if (v[j] != 0) hv += h[i * m + j] * v[j];
                f += 0.5 * v[i] * hv - b[i] * v[i] + tau * Math.Abs(v[i]);
            }
            return f;
        }
        var sign = new double[m];
        for (int i = 0; i < m; i++) sign[i] = Math.Sign(x[i]);
        double tol = 1e-10 * Math.Max(tau, 1e-300);
        int budget = 20 * m + 50;
        bool done = false;
        for (int step = 0; step < budget && !done; step++)
        {
            Gradient();
            // Optimality on the active set: grad_i + τ sign_i = 0.
            bool activeOk = true;
            for (int i = 0; i < m; i++)
                if (x[i] != 0 && Math.Abs(grad[i] + tau * sign[i]) > tol * 1e3 + 1e-9 * Math.Abs(b[i])) { activeOk = false; break; }
            if (activeOk)
            {
                int best = -1;
                double worst = tau * (1 + 1e-9) + 1e-12;
                for (int i = 0; i < m; i++)
                    if (x[i] == 0 && Math.Abs(grad[i]) > worst) { worst = Math.Abs(grad[i]); best = i; }
                if (best < 0) { done = true; break; }
                sign[best] = grad[best] > 0 ? -1 : 1;
            }
            // Equality-constrained QP on the signed active set A = {i : sign_i != 0}.
            var active = Enumerable.Range(0, m).Where(i => sign[i] != 0).ToArray();
            int k = active.Length;
            var a = new double[k * k];
            var rhs = new double[k];
            for (int p = 0; p < k; p++)
            {
                rhs[p] = b[active[p]] - tau * sign[active[p]];
                for (int q = 0; q < k; q++) a[p * k + q] = h[active[p] * m + active[q]];
                a[p * k + p] += ridge;
            }
            var target = SolveLinear(a, rhs, k);
            // Line search from x to the target over the points where a coefficient crosses zero.
            var current = x.ToArray();
            var candidate = new double[m];
            double bestF = double.PositiveInfinity;
            double[] bestX = current;
            var ts = new List<double> { 1.0 };
            for (int p = 0; p < k; p++)
            {
                double from = current[active[p]], to = target[p];
                if (from != 0 && Math.Sign(from) != Math.Sign(to)) ts.Add(from / (from - to));
            }
            foreach (double t in ts)
            {
                Array.Clear(candidate);
                for (int p = 0; p < k; p++)
                {
                    int i = active[p];
                    double v = current[i] + t * (target[p] - current[i]);
                    if (Math.Abs(v) <= 1e-15 * (Math.Abs(current[i]) + Math.Abs(target[p]))) v = 0;
                    if (t != 1.0 && Math.Abs(current[i] + t * (target[p] - current[i])) < 1e-14 * Math.Max(1, Math.Abs(current[i]))) v = 0;
                    candidate[i] = v;
                }
                double f = Objective(candidate);
                if (f < bestF) { bestF = f; bestX = candidate.ToArray(); }
            }
            // Exactly zero the coefficient that crossed at the chosen breakpoint.
            for (int i = 0; i < m; i++)
            {
                x[i] = bestX[i];
                sign[i] = Math.Sign(x[i]);
            }
        }
        if (!done) CoordinateDescent(g, r, x, m, stride, gamma, tau);
        for (int i = 0; i < m; i++) c[i] = x[i];
    }

    /// <summary>Solves the k x k system A x = b by Gaussian elimination with partial pivoting (singular pivots give 0).</summary>
    internal static double[] SolveLinear(double[] a, double[] rhs, int k)
    {
        // Gaussian elimination with partial pivoting (k is small: the active set).
        var m = (double[])a.Clone();
        var v = (double[])rhs.Clone();
        for (int col = 0; col < k; col++)
        {
            int piv = col;
            for (int row = col + 1; row < k; row++) if (Math.Abs(m[row * k + col]) > Math.Abs(m[piv * k + col])) piv = row;
            if (m[piv * k + col] == 0) continue;
            if (piv != col)
            {
                for (int j = 0; j < k; j++) (m[col * k + j], m[piv * k + j]) = (m[piv * k + j], m[col * k + j]);
                (v[col], v[piv]) = (v[piv], v[col]);
            }
            for (int row = col + 1; row < k; row++)
            {
                double f = m[row * k + col] / m[col * k + col];
                if (f == 0) continue;
                for (int j = col; j < k; j++) m[row * k + j] -= f * m[col * k + j];
                v[row] -= f * v[col];
            }
        }
        var x = new double[k];
        for (int row = k - 1; row >= 0; row--)
        {
            double sum = v[row];
            for (int j = row + 1; j < k; j++) sum -= m[row * k + j] * x[j];
            x[row] = m[row * k + row] == 0 ? 0 : sum / m[row * k + row];
        }
        return x;
    }

    /// <summary>
    /// Coordinate descent for min τ|c|₁ + (1−τ)/2|c|² + γ/2(cᵀGc − 2rᵀc) over the first <paramref name="m"/> coordinates
    /// (the rest are padding), warm-started from <paramref name="c"/>; stops when no coordinate moves by more than 1e-12 or
    /// after 5,000 sweeps (the fallback of <see cref="FeatureSign"/>).
    /// </summary>
    internal static void CoordinateDescent(ReadOnlySpan<double> g, ReadOnlySpan<double> r, Span<double> c, int m, int stride, double gamma, double tau)
    {
        if (gamma <= 0) { c.Clear(); return; }
        var q = new double[m]; // q = G c
        for (int i = 0; i < m; i++)
        {
            double sum = 0;
            for (int j = 0; j < m; j++) sum += g[i * stride + j] * c[j];
            q[i] = sum;
        }
        for (int sweep = 0; sweep < 5000; sweep++)
        {
            double moved = 0;
            for (int j = 0; j < m; j++)
            {
                double gjj = g[j * stride + j];
                double denom = gamma * gjj + 1 - tau;
                double next = 0;
                if (denom > 0)
                {
                    double z = gamma * (r[j] - q[j] + gjj * c[j]);
                    next = Math.Sign(z) * Math.Max(Math.Abs(z) - tau, 0) / denom;
                }
                double change = next - c[j];
                if (change == 0) continue;
                c[j] = next;
                for (int i = 0; i < m; i++) q[i] += change * g[i * stride + j];
                moved = Math.Max(moved, Math.Abs(change));
            }
            if (moved <= 1e-12) break;
        }
        for (int j = m; j < c.Length; j++) c[j] = 0;
    }
}
