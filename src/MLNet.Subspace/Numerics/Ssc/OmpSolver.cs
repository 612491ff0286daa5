using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// SSC by orthogonal matching pursuit (SSC-OMP, You, Robinson &amp; Vidal, CVPR 2016): for each unit-normalised
/// sample x<sub>i</sub>, greedily pick up to k other samples most correlated with the residual, refit by least squares,
/// and stop when ||r|| ≤ <see cref="ResidualTolerance"/> or k atoms are chosen.
/// </summary>
/// <remarks>
/// Columns are independent, so they are solved in batches of b at once: per greedy step one GEMM
/// X<sup>T</sup>R (N x D x b), an argmax, and the least-squares refit of all b columns as one more step of an
/// incremental QR of the chosen atoms (classical Gram-Schmidt applied twice, O(b D s) per step).
/// Cost O(k D N²) time in total (plus O(k N²) elementwise), memory O(N b + N D + b k D) — no N x N matrix is formed,
/// so N = 10⁵ fits in a few hundred MB. Zero samples get an all-zero code; duplicates represent each other exactly.
/// <para>Gram space (<see cref="GramSpace"/>; by default when D ≥ N and G fits): one GEMM G = X<sup>T</sup>X, O(N² D), then
/// the same greedy steps on G only: the correlations X<sup>T</sup>r are kept and updated by one row
/// w<sub>s</sub> = X<sup>T</sup>q<sub>s</sub> per step (w<sub>s</sub> = (G[p, :] − Σ<sub>t</sub> R<sub>ts</sub> w<sub>t</sub>) / R<sub>ss</sub>, the QR of
/// the atoms written in Gram space), O(N s) per column at step s, O(N k²) per column in all; memory N² + b (k + 3) N.
/// Rounding: ||r||² = 1 − Σ z<sub>s</sub>² is read off entries of G, so residuals below √<see cref="GramSpace.SquaredNormFloor"/>
/// (2.8e-3 in float32, 1.2e-7 in float64) are not resolved: such a column stops there instead of at <see cref="ResidualTolerance"/>.</para>
/// <para>Deterministic: the same input gives bit-identical codes on every run and any thread count of one machine
/// (only GEMMs of fixed shapes and elementwise work; the batch size depends on N and <see cref="BlockElements"/> only).</para>
/// </remarks>
public sealed class OmpSolver : SelfExpressionSolver
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>Maximum non-zeros per code (the peer's default; about the subspace dimension or a little more).</summary>
        public const int MaximumNonZeros = 10;
        /// <summary>Stop a sample once its residual norm (of the unit-normalised sample) is at most this.</summary>
        public const double ResidualTolerance = 1e-5;
        /// <summary>Elements of the N x b correlation block per batch.</summary>
        public const long BlockElements = 1L << 25;
    }

    /// <inheritdoc />
    public override string Name => "omp";

    /// <summary>k: the most non-zeros per code; must be in [1, N − 1].</summary>
    public int MaximumNonZeros { get; init; } = Defaults.MaximumNonZeros;

    /// <summary>Residual norm (relative to the unit-normalised sample) at which a sample stops.</summary>
    public double ResidualTolerance { get; init; } = Defaults.ResidualTolerance;

    /// <summary>Size of the N x b correlation block, which sets the batch size b.</summary>
    public long BlockElements { get; init; } = Defaults.BlockElements;

    /// <summary>Solve on the Gram matrix G = X<sup>T</sup>X (true), on X (false), or choose (null: G when D ≥ N and it fits in memory).</summary>
    public bool? GramSpace { get; init; }

    /// <summary>Run the Gram-space steps as tensor batches on the CPU too (they run there only off the CPU); tests compare the two.</summary>
    internal bool TensorGramSteps { get; init; }

    /// <inheritdoc />
    public override long EstimateBytes(int n, int d) => UsesGram(n, d) ? GramBytes(n, d) : SampleBytes(n, d);

    /// <summary>Whether a solve of <paramref name="n"/> samples of dimension <paramref name="d"/> runs in Gram space.</summary>
    internal bool UsesGram(int n, int d) => Ssc.GramSpace.Use(GramSpace, n, d, GramBytes(n, d));

    private long SampleBytes(int n, int d)
        => (3L * BlockElements + 2L * n * d + 3L * n * MaximumNonZeros + 2L * Math.Clamp(BlockElements / Math.Max(n, 1), 1, Math.Max(n, 1)) * MaximumNonZeros * d) * ElementBytes;

    /// <summary>The unit samples (N D), G (N²), per batch the correlations, w rows and temporaries (≤ BlockElements with
    /// b = BlockElements / ((k + 3) N)), the triplets (3 N k).</summary>
    private long GramBytes(int n, int d) => (1L * n * d + 1L * n * n + BlockElements + 3L * n * MaximumNonZeros) * ElementBytes;

    private int GramBatch(int n) => (int)Math.Clamp(BlockElements / ((long)(MaximumNonZeros + 3) * Math.Max(n, 1)), 1, Math.Max(n, 1));

    /// <inheritdoc />
    protected override (SparseMatrix, int, bool) SolveColumns(Tensor x)
    {
        int n = (int)x.shape[1];
        CheckNonZeros(n);
        var xn = NormalizeColumns(x);
        if (UsesGram(n, (int)x.shape[0])) return SolveOnGram(Ssc.GramSpace.Of(xn));
        var atoms = xn.t().contiguous(); // N x D: row j = atom j
        var atomsT = xn.contiguous();    // D x N, for the b x N correlation blocks (reductions along contiguous rows)
        int batch = (int)Math.Clamp(BlockElements / n, 1, n);
        return SolveInBatches(n, batch, (start, b) => SolveBatch(atoms, atomsT, xn[.., start..(start + b)], start, MaximumNonZeros));
    }

    /// <summary>
    /// The codes of N samples given only their Gram matrix G = X X<sup>T</sup> (N x N, samples as rows, not necessarily unit
    /// length): G is rescaled to the unit-length samples' Gram, D<sup>-1</sup> G D<sup>-1</sup> with D = diag(√G<sub>ii</sub>) (a sample shorter
    /// than the solver floor is a zero sample), and solved in Gram space. The full-scale analysis computes each layer's Gram once
    /// and shares it between SSC and linear CKA; the codes equal <see cref="SelfExpressionSolver.Solve"/>'s Gram path up to the
    /// rounding of forming G before or after the scaling.
    /// </summary>
    /// <param name="gram">N x N, symmetric, finite; not modified.</param>
    /// <returns>The sparse codes and diagnostics.</returns>
    public SelfExpression SolveGram(Tensor gram)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (c, iterations, converged) = SolveOnGram(UnitGram(gram));
        return new SelfExpression(c, iterations, converged, clock.Elapsed.TotalSeconds, Name);
    }

    /// <summary>The codes of samples <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 only, on the
    /// CPU: the rows of <see cref="SolveGram"/>'s codes on the CPU, bit for bit (each column is solved alone, in a fixed order), so
    /// blocks of columns solved apart — the coefficient units of a large layer — give the codes of the whole.</summary>
    /// <param name="gram">N x N, symmetric, finite; not modified.</param>
    /// <param name="start">First sample.</param>
    /// <param name="count">Samples, at least 1.</param>
    /// <returns>N x N codes, empty outside the rows solved; the most greedy steps of those rows.</returns>
    internal (SparseMatrix Codes, int Steps) SolveGramColumns(Tensor gram, int start, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (Device is { type: not DeviceType.CPU }) throw new InvalidOperationException($"Blocks of columns are solved on the CPU (the greedy steps' loop); this solver's device is {Device}.");
        var unit = UnitGram(gram).contiguous();
        int n = (int)unit.shape[0];
        if (start < 0 || count < 1 || start + count > n)
            throw new ArgumentOutOfRangeException(nameof(count), $"Expected a block of columns inside [0, {n}). Got start {start}, count {count} instead.");
        var (codes, steps, _) = unit.dtype == ScalarType.Float64
            ? GramSpaceColumns.Solve<double>(unit, MaximumNonZeros, ResidualTolerance, start, count)
            : GramSpaceColumns.Solve<float>(unit, MaximumNonZeros, ResidualTolerance, start, count);
        return (codes, steps);
    }

    /// <summary>The unit-length samples' Gram D<sup>-1</sup> G D<sup>-1</sup>, in <see cref="SelfExpressionSolver.DType"/> on the solver's device,
    /// after checking G's shape, k and the memory, and that every entry is finite.</summary>
    private Tensor UnitGram(Tensor gram)
    {
        ArgumentNullException.ThrowIfNull(gram);
        if (gram.dim() != 2 || gram.shape[0] != gram.shape[1] || gram.shape[0] < 2)
            throw new ArgumentException($"Expected the N x N Gram matrix of N >= 2 samples. Got a tensor of shape [{string.Join(", ", gram.shape)}] instead.", nameof(gram));
        int n = (int)gram.shape[0];
        CheckNonZeros(n);
        MemoryBudget.Check($"The {Name} solver on the Gram matrix of N = {n} samples", 2L * n * n * ElementBytes + 3L * n * MaximumNonZeros * 8, MemoryBudget.AvailableBytes(), Suggestion);
        var g = gram.to(DType, Device ?? CPU);
        var bad = isfinite(g).logical_not();
        if (bad.any().item<bool>())
        {
            var at = bad.nonzero()[0];
            throw new ArgumentException($"The Gram matrix has a non-finite entry at row {at[0].item<long>() + 1}, column {at[1].item<long>() + 1} (counted from 1): a sample holds NaN, infinite or too large values.", nameof(gram));
        }
        var norms = g.diagonal().clamp_min(0).sqrt();
        var inverse = where(norms >= UnitLength.SolverFloor, norms.reciprocal(), zeros_like(norms));
        return g * inverse.unsqueeze(1) * inverse.unsqueeze(0);
    }

    private void CheckNonZeros(int n)
    {
        if (MaximumNonZeros < 1 || MaximumNonZeros > n - 1)
            throw new ArgumentOutOfRangeException(nameof(MaximumNonZeros), $"The 'MaximumNonZeros' (k) option of OmpSolver must be an integer in [1, N - 1] = [1, {n - 1}]. Got {MaximumNonZeros} instead.");
    }

    /// <summary>The greedy steps on the unit-length samples' G: on the CPU one column at a time (<see cref="GramSpaceColumns"/>),
    /// elsewhere in tensor batches (<see cref="SolveBatchGram"/>).</summary>
    private (SparseMatrix, int, bool) SolveOnGram(Tensor unitGram)
    {
        int n = (int)unitGram.shape[0];
        if (unitGram.device_type == DeviceType.CPU && !TensorGramSteps)
            return unitGram.dtype == ScalarType.Float64
                ? GramSpaceColumns.Solve<double>(unitGram.contiguous(), MaximumNonZeros, ResidualTolerance)
                : GramSpaceColumns.Solve<float>(unitGram.contiguous(), MaximumNonZeros, ResidualTolerance);
        return SolveInBatches(n, GramBatch(n), (start, b) => SolveBatchGram(unitGram, start, b, MaximumNonZeros));
    }

    /// <summary>Runs <paramref name="solveBatch"/> over the columns in batches and gathers the codes (row = sample, in step order).</summary>
    private (SparseMatrix, int, bool) SolveInBatches(int n, int batch, Func<int, int, (Tensor Selected, Tensor Coefs, int Steps)> solveBatch)
    {
        int k = MaximumNonZeros;
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<double>();
        int maxSteps = 0;
        for (int start = 0; start < n; start += batch)
        {
            using var scope = NewDisposeScope();
            int b = Math.Min(batch, n - start);
            var (selected, coefs, steps) = solveBatch(start, b);
            maxSteps = Math.Max(maxSteps, steps);
            var sel = selected.to(ScalarType.Int32).cpu().data<int>().ToArray();
            var cf = coefs.to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int j = 0; j < b; j++)
                for (int s = 0; s < k; s++)
                {
                    double v = cf[j * k + s];
                    if (v == 0 || !double.IsFinite(v)) continue;
                    rows.Add(start + j);
                    cols.Add(sel[j * k + s]);
                    vals.Add(v);
                }
        }
        return (SparseMatrix.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), vals.ToArray()), maxSteps, true);
    }

    /// <summary>
    /// Codes of new samples over a dictionary of fitted samples (out-of-sample SSC-OMP): the same greedy steps as
    /// <see cref="SelfExpressionSolver.Solve"/>, with no sample excluded, up to <see cref="MaximumNonZeros"/> (at most N) atoms.
    /// </summary>
    /// <param name="fitted">N x D dictionary, one sample per row (used at unit length).</param>
    /// <param name="queries">M x D new samples, one per row (used at unit length; a zero query gets an empty code).</param>
    /// <returns>Per query, the dictionary rows used and their coefficients, in the order they were chosen.</returns>
    /// <remarks>Cost O(k N D) per query; memory O(N D + M k).</remarks>
    public IReadOnlyList<(int[] Support, double[] Coefficients)> Code(Tensor fitted, Tensor queries)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        using var scope = NewDisposeScope();
        return Code(Dictionary(fitted), queries);
    }

    /// <summary>The unit-length dictionary <see cref="Code(ValueTuple{Tensor, Tensor}, Tensor)"/> reads: N x D atoms and their D x N transpose, in
    /// <see cref="SelfExpressionSolver.DType"/> on <see cref="SelfExpressionSolver.Device"/>. Build it once for many queries.</summary>
    /// <param name="fitted">N x D dictionary, one sample per row.</param>
    internal (Tensor Atoms, Tensor AtomsT) Dictionary(Tensor fitted)
    {
        if (fitted.dim() != 2)
            throw new ArgumentException($"Expected an N x D dictionary. Got a tensor of shape [{string.Join(", ", fitted.shape)}] instead.", nameof(fitted));
        using var noGrad = no_grad();
        var xn = NormalizeColumns(fitted.to(DType, Device ?? CPU).t());
        return (xn.t().contiguous(), xn.contiguous());
    }

    /// <summary>Codes of new samples over a dictionary built by <see cref="Dictionary"/>.</summary>
    /// <param name="dictionary">The unit-length atoms and their transpose.</param>
    /// <param name="queries">M x D new samples, one per row.</param>
    internal IReadOnlyList<(int[] Support, double[] Coefficients)> Code((Tensor Atoms, Tensor AtomsT) dictionary, Tensor queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var (atoms, atomsT) = dictionary;
        if (queries.dim() != 2 || atoms.shape[1] != queries.shape[1])
            throw new ArgumentException($"Expected an N x D dictionary and M x D queries. Got [{string.Join(", ", atoms.shape)}] and [{string.Join(", ", queries.shape)}] instead.");
        int n = (int)atoms.shape[0], m = (int)queries.shape[0], k = MaximumNonZeros;
        if (k < 1 || k > n)
            throw new ArgumentOutOfRangeException(nameof(MaximumNonZeros), $"The 'MaximumNonZeros' (k) option of OmpSolver must be an integer in [1, N] = [1, {n}] for out-of-sample codes. Got {k} instead.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (selected, coefs, _) = SolveBatch(atoms, atomsT, NormalizeColumns(queries.to(DType, Device ?? CPU).t()), start: -1, k);
        var sel = selected.to(ScalarType.Int32).cpu().data<int>().ToArray();
        var cf = coefs.to(ScalarType.Float64).cpu().data<double>().ToArray();
        var codes = new (int[], double[])[m];
        for (int j = 0; j < m; j++)
        {
            var support = new List<int>(k);
            var values = new List<double>(k);
            for (int s = 0; s < k; s++)
            {
                double v = cf[j * k + s];
                if (v == 0 || !double.IsFinite(v)) continue;
                support.Add(sel[j * k + s]);
                values.Add(v);
            }
            codes[j] = (support.ToArray(), values.ToArray());
        }
        return codes;
    }

    /// <summary>Greedy steps for the b samples <paramref name="y"/> (D x b); sample j is column <paramref name="start"/> + j of the
    /// dictionary and may not represent itself, unless <paramref name="start"/> is negative (out-of-sample queries).</summary>
    private (Tensor Selected, Tensor Coefs, int Steps) SolveBatch(Tensor atoms, Tensor atomsT, Tensor y, int start, int k)
    {
        long b = y.shape[1], d = y.shape[0];
        var dev = y.device;
        var selected = zeros(b, k, dtype: ScalarType.Int64, device: dev);
        // The least-squares refit of every step is an incremental QR of the chosen atoms (classical Gram-Schmidt,
        // applied twice): q holds the orthonormal directions (row s of q[j] = direction s of column j), r the upper
        // triangle and z = Q^T y. Only matmuls over fixed shapes and elementwise work: no LAPACK call, whose batched
        // least-squares (gelsy) rounds differently from run to run.
        var q = zeros(b, k, d, dtype: y.dtype, device: dev);
        var r = zeros(b, k, k, dtype: y.dtype, device: dev);
        var z = zeros(b, k, dtype: y.dtype, device: dev);
        var self = start < 0 ? null : arange(start, start + b, dtype: ScalarType.Int64, device: dev).unsqueeze(1); // b x 1
        var residual = empty(b, d, dtype: y.dtype, device: dev).copy_(y.t()); // b x D, contiguous and of its own (y.t() may share the atoms' memory)
        var active = y.norm(0) > ResidualTolerance; // zero samples never start
        // An atom whose part orthogonal to the chosen ones is below rounding lies in their span: the column stops.
        double rankTolerance = (y.dtype == ScalarType.Float64 ? 2.2e-16 : 1.2e-7) * Math.Max(d, k);
        int steps = 0;
        for (int s = 0; s < k && active.any().item<bool>(); s++)
        {
            using var scope = NewDisposeScope();
            steps = s + 1;
            var corr = residual.matmul(atomsT).abs_(); // b x N
            if (self is not null) corr.scatter_(1, self, zeros(self.shape, corr.dtype, corr.device));
            if (s > 0) corr.scatter_(1, selected[.., ..s], zeros(selected[.., ..s].shape, corr.dtype, corr.device));
            var (best, pick) = corr.max(1);
            active.logical_and_(best > 1e-12); // nothing correlates with the residual any more
            var atom = atoms.index_select(0, pick); // b x D
            var projection = zeros(b, s, dtype: y.dtype, device: dev);
            if (s > 0)
            {
                var basis = q[.., ..s, ..]; // b x s x D
                for (int pass = 0; pass < 2; pass++)
                {
                    var p = basis.matmul(atom.unsqueeze(2)).squeeze(2); // b x s
                    atom = atom - p.unsqueeze(1).matmul(basis).squeeze(1);
                    projection = projection + p;
                }
            }
            var norm = atom.norm(1); // b
            active.logical_and_(norm > rankTolerance);
            var direction = atom / norm.clamp_min(1e-30).unsqueeze(1);
            var mask = active.unsqueeze(1);
            selected[.., s] = where(active, pick, selected[.., s]);
            q[.., s, ..] = where(mask, direction, zeros_like(direction));
            if (s > 0) r[.., ..s, s] = where(mask, projection, zeros_like(projection));
            r[.., s, s] = where(active, norm, ones_like(norm)); // 1 where unused: back-substitution then gives 0
            var along = (direction * residual).sum(1); // q_s^T y, as q_s is orthogonal to the earlier directions
            z[.., s] = where(active, along, zeros_like(along));
            residual.copy_(where(mask, residual - along.unsqueeze(1) * direction, residual));
            active.logical_and_(residual.norm(1) > ResidualTolerance);
        }
        return (selected.MoveToOuterDisposeScope(), BackSubstitute(r, z, steps).MoveToOuterDisposeScope(), steps);
    }

    /// <summary>
    /// The greedy steps of <see cref="SolveBatch"/> for samples start..start + b − 1, on G alone: the signed correlations
    /// X<sup>T</sup>r (b x N) start as G's rows and lose z<sub>s</sub> w<sub>s</sub> per step, where w<sub>s</sub> = X<sup>T</sup>q<sub>s</sub> is the
    /// chosen atom's row of G minus its projections on the earlier directions (R<sub>ts</sub> = q<sub>t</sub><sup>T</sup>a<sub>p</sub> = w<sub>t</sub>[p]),
    /// over R<sub>ss</sub> = √(G<sub>pp</sub> − Σ R<sub>ts</sub>²), and z<sub>s</sub> = q<sub>s</sub><sup>T</sup>r = (X<sup>T</sup>r)[p] / R<sub>ss</sub>. O(N s) per column at step s.
    /// </summary>
    private (Tensor Selected, Tensor Coefs, int Steps) SolveBatchGram(Tensor gram, int start, int b, int k)
    {
        int n = (int)gram.shape[0];
        var dev = gram.device;
        var dtype = gram.dtype;
        var selected = zeros(b, k, dtype: ScalarType.Int64, device: dev);
        var w = zeros(b, k, n, dtype: dtype, device: dev);
        var r = zeros(b, k, k, dtype: dtype, device: dev);
        var z = zeros(b, k, dtype: dtype, device: dev);
        var self = arange(start, start + b, dtype: ScalarType.Int64, device: dev).unsqueeze(1); // b x 1
        var corr = gram[start..(start + b)].clone(); // b x N, X^T r with r = x_i
        var residual2 = corr.gather(1, self).squeeze(1).to(ScalarType.Float64); // ||x_i||^2: 1, or 0 for a zero sample
        double floor = Ssc.GramSpace.SquaredNormFloor(dtype);
        double stop2 = Math.Max(ResidualTolerance * ResidualTolerance, floor);
        var active = residual2 > stop2;
        int steps = 0;
        for (int s = 0; s < k && active.any().item<bool>(); s++)
        {
            using var scope = NewDisposeScope();
            steps = s + 1;
            var magnitude = corr.abs();
            magnitude.scatter_(1, self, zeros(self.shape, dtype, dev));
            if (s > 0) magnitude.scatter_(1, selected[.., ..s], zeros(selected[.., ..s].shape, dtype, dev));
            var (best, pick) = magnitude.max(1);
            active.logical_and_(best > 1e-12);
            var pickColumn = pick.unsqueeze(1); // b x 1
            var row = gram.index_select(0, pick); // b x N: G[p, :]
            var diagonal = row.gather(1, pickColumn).squeeze(1); // G[p, p]
            var projection = s > 0 ? w[.., ..s, ..].gather(2, pickColumn.unsqueeze(2).expand(b, s, 1)).squeeze(2) : zeros(b, 0, dtype: dtype, device: dev); // b x s
            if (s > 0) row = row - projection.unsqueeze(1).bmm(w[.., ..s, ..]).squeeze(1);
            var norm2 = diagonal.to(ScalarType.Float64) - projection.to(ScalarType.Float64).square().sum(1);
            active.logical_and_(norm2 > floor);
            var norm = norm2.clamp_min(floor).sqrt().to(dtype);
            var direction = row / norm.unsqueeze(1); // w_s = X^T q_s
            var along = corr.gather(1, pickColumn).squeeze(1) / norm; // z_s = q_s^T r
            var mask = active.unsqueeze(1);
            selected[.., s] = where(active, pick, selected[.., s]);
            w[.., s, ..] = where(mask, direction, zeros_like(direction));
            if (s > 0) r[.., ..s, s] = where(mask, projection, zeros_like(projection));
            r[.., s, s] = where(active, norm, ones_like(norm));
            z[.., s] = where(active, along, zeros_like(along));
            corr.copy_(where(mask, corr - along.unsqueeze(1) * direction, corr));
            residual2.copy_(where(active, residual2 - along.to(ScalarType.Float64).square(), residual2));
            active.logical_and_(residual2 > stop2);
        }
        return (selected.MoveToOuterDisposeScope(), BackSubstitute(r, z, steps).MoveToOuterDisposeScope(), steps);
    }

    /// <summary>R c = z by back-substitution, the last atom first (b upper-triangular k x k systems; unused rows have R<sub>ss</sub> = 1, z<sub>s</sub> = 0).</summary>
    private static Tensor BackSubstitute(Tensor r, Tensor z, int steps)
    {
        var coefs = zeros_like(z);
        for (int i = steps - 1; i >= 0; i--)
        {
            using var scope = NewDisposeScope();
            var rhs = i + 1 < steps ? z[.., i] - (r[.., i, (i + 1)..steps] * coefs[.., (i + 1)..steps]).sum(1) : z[.., i];
            coefs[.., i] = rhs / r[.., i, i];
        }
        return coefs;
    }

    /// <summary>Columns scaled to unit l2 norm; zero columns stay zero.</summary>
    /// <param name="x">D x N.</param>
    internal static Tensor NormalizeColumns(Tensor x) => UnitLength.Along(x, 0, UnitLength.SolverFloor);
}
