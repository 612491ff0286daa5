using System.Globalization;
using MLNet.Subspace.Numerics.Graphs;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// How sparse subspace clustering turns N samples into codes, an affinity graph and clusters: the one SSC configuration
/// every room maps onto (the <c>SscAffinity</c> estimator, the analysis run, every CLI command).
/// </summary>
/// <remarks>
/// It owns solver creation (<see cref="CreateSolver"/>), the input preparation (<see cref="Prepare"/>), the graph
/// (<see cref="BuildGraph"/>), the clustering (<see cref="Cluster"/>) and the out-of-sample code of a new sample
/// (<see cref="CodeOutOfSample"/>), so the same samples and options give the same graph wherever they are solved.
/// Every default is in <see cref="Defaults"/>; a null option means the solver's own default (each solver's
/// <c>Defaults</c> class).
/// </remarks>
public sealed record SscOptions
{
    /// <summary>Defaults, defined once; documentation refers here instead of repeating them.</summary>
    public static class Defaults
    {
        /// <summary>The solver: SSC-OMP, the fastest at the accuracy of the others on labelled probes and on activation-shaped
        /// data, and linear in N in memory on its X path (docs/ssc.md has the measurements); the paper's exact ADMM is
        /// <c>Solver = SscSolver.Admm</c> (CLI <c>--solver admm</c>).</summary>
        public const SscSolver Solver = SscSolver.Omp;
        /// <summary>Non-zeros per code for OMP and for out-of-sample codes (capped at N − 1).</summary>
        public const int NonZeros = OmpSolver.Defaults.MaximumNonZeros;
        /// <summary>Scale each sample to unit length before solving.</summary>
        public const bool NormalizeInputs = true;
        /// <summary>Dense work in float32.</summary>
        public const bool UseDouble = false;
        /// <summary>Seed of the spectral clustering when neither the options nor the caller give one.</summary>
        public const int Seed = 0;
        /// <summary>OMP and EnSC choose the Gram-space path per solve (D ≥ N and G fits in memory); see docs/benchmarks.md for the measurement.</summary>
        public static readonly bool? GramSpace = null;
        /// <summary>Seed of the random projection (<see cref="ProjectedDimension"/>, off by default).</summary>
        public const int ProjectionSeed = 0;
    }

    /// <summary>The solver. Default <see cref="Defaults.Solver"/>.</summary>
    public SscSolver Solver { get; init; } = Defaults.Solver;

    /// <summary>Regularisation α (ADMM: λ = α/μ<sub>z</sub>; EnSC: γ = αγ<sub>0</sub>; faithful: τ); null keeps the solver's default. Not used by OMP.</summary>
    public double? Alpha { get; init; }

    /// <summary>Non-zeros per code for OMP and for out-of-sample codes, in [1, N − 1]; null = <see cref="Defaults.NonZeros"/> capped at N − 1.</summary>
    public int? NonZeros { get; init; }

    /// <summary>EnSC's starting support size, in [1, N − 1]; null keeps <see cref="ElasticNetSolver.Defaults.InitialSupport"/> (capped at N − 1).</summary>
    public int? InitialSupport { get; init; }

    /// <summary>
    /// Scale every sample to unit length before solving (zero samples stay zero). Default <see cref="Defaults.NormalizeInputs"/>:
    /// scaling a point keeps it in its subspace, so no subspace changes, but large samples stop dominating the fit.
    /// OMP and EnSC work on unit-length samples either way.
    /// </summary>
    public bool NormalizeInputs { get; init; } = Defaults.NormalizeInputs;

    /// <summary>
    /// OMP and EnSC on the Gram matrix G = XᵀX (true: one N² D GEMM, then O(N k²) per column) or on X (false: a GEMM over D per
    /// step), or chosen per solve (null, the default <see cref="Defaults.GramSpace"/>: G when D ≥ N and it fits in memory, so
    /// N = 10⁵ still takes the X path). Not used by ADMM, which always factors G.
    /// </summary>
    public bool? GramSpace { get; init; } = Defaults.GramSpace;

    /// <summary>Post-processing of the codes into the graph; null keeps W = |C| + |C|<sup>T</sup> as it is.</summary>
    public AffinityOptions? Affinity { get; init; }

    /// <summary>Run the dense work in float64 instead of float32. Default <see cref="Defaults.UseDouble"/>.</summary>
    public bool UseDouble { get; init; } = Defaults.UseDouble;

    /// <summary>Torch device of the dense work; null means the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>Seed of the spectral clustering; null = the caller's seed (an MLContext's) where there is one, else <see cref="Defaults.Seed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Random projection of the features before solving: each sample x becomes Pᵀx / √p with P a D x p matrix of standard
    /// Gaussians drawn from its own generator seeded by <see cref="ProjectionSeed"/> (Johnson–Lindenstrauss: inner products
    /// kept to about 1/√p relative), so the solver sees p features instead of D. Null (the default) or p ≥ D keeps the
    /// samples as they are. Costs O(N D p) once; docs/benchmarks.md measures the accuracy change.
    /// </summary>
    public int? ProjectedDimension { get; init; }

    /// <summary>Seed of the random projection's matrix. Default <see cref="Defaults.ProjectionSeed"/>; the same seed gives the same bytes.</summary>
    public int ProjectionSeed { get; init; } = Defaults.ProjectionSeed;

    /// <summary>Element type of the dense work.</summary>
    public ScalarType DType => UseDouble ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>Checks the options that do not depend on the data, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Check(Enum.IsDefined(Solver), nameof(Solver), $"one of {SolverNames}", Solver);
        double minimumAlpha = Solver == SscSolver.Ensc ? 1 : 0;
        Check(Alpha is null || (Alpha > minimumAlpha && double.IsFinite(Alpha.Value)), nameof(Alpha),
            minimumAlpha > 0 ? "a finite number greater than 1 for ensc (1 or less gives all-zero codes)" : "a finite positive number", Alpha!);
        Check(NonZeros is null or >= 1, nameof(NonZeros), "an integer of 1 or more", NonZeros!);
        Check(InitialSupport is null or >= 1, nameof(InitialSupport), "an integer of 1 or more", InitialSupport!);
        Check(ProjectedDimension is null or >= 1, nameof(ProjectedDimension), "an integer of 1 or more", ProjectedDimension!);
    }

    /// <summary>Checks every option against the number of samples.</summary>
    /// <param name="samples">N.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 samples, or an option out of range for N.</exception>
    public void Validate(int samples)
    {
        Validate();
        if (samples < 2)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"Found {samples} sample(s) while SSC needs at least 2: each sample is written as a combination of the others.");
        Check(NonZeros is null || NonZeros <= samples - 1, nameof(NonZeros), $"an integer in [1, N - 1] = [1, {samples - 1}]", NonZeros!);
        Check(InitialSupport is null || InitialSupport <= samples - 1, nameof(InitialSupport), $"an integer in [1, N - 1] = [1, {samples - 1}]", InitialSupport!);
        Affinity?.Validate(samples);
    }

    /// <summary>Non-zeros per code for <paramref name="samples"/> samples: <see cref="NonZeros"/> or the default capped at N − 1.</summary>
    /// <param name="samples">N.</param>
    public int NonZerosFor(int samples) => NonZeros ?? Math.Min(Defaults.NonZeros, samples - 1);

    /// <summary>The solvers' names as every command line, manifest and report spells them: admm, faithful, omp, ensc.</summary>
    public static string SolverNames => string.Join(", ", Enum.GetValues<SscSolver>().Select(SolverName));

    /// <summary>The name of <paramref name="solver"/> (its enum name in lower case; also the solver's <see cref="SelfExpressionSolver.Name"/>).</summary>
    /// <param name="solver">A solver.</param>
    public static string SolverName(SscSolver solver) => solver.ToString().ToLowerInvariant();

    /// <summary>The solver named <paramref name="name"/> (case-insensitive, as <see cref="SolverName"/> spells it).</summary>
    /// <param name="name">admm, faithful, omp or ensc.</param>
    /// <param name="option">The option the name came from, for the message.</param>
    /// <exception cref="ArgumentException">Not a solver's name.</exception>
    public static SscSolver ParseSolver(string name, string option = nameof(Solver))
    {
        foreach (var solver in Enum.GetValues<SscSolver>())
            if (string.Equals(SolverName(solver), name?.Trim(), StringComparison.OrdinalIgnoreCase)) return solver;
        throw new ArgumentException($"The '{option}' option must be one of {SolverNames}. Got '{name}' instead.");
    }

    /// <summary>The configured solver for <paramref name="samples"/> samples.</summary>
    /// <param name="samples">N (caps the default non-zeros and initial support at N − 1).</param>
    public SelfExpressionSolver CreateSolver(int samples)
    {
        Validate(samples);
        return Solver switch
        {
            SscSolver.Admm => new AdmmLassoSolver { DType = DType, Device = Device, Alpha = Alpha ?? AdmmLassoSolver.Defaults.Alpha },
            SscSolver.Faithful => new FaithfulAdmmSolver { DType = ScalarType.Float64, Device = Device, Tau = Alpha ?? FaithfulAdmmSolver.Defaults.Tau },
            SscSolver.Omp => new OmpSolver { DType = DType, Device = Device, MaximumNonZeros = NonZerosFor(samples), GramSpace = GramSpace },
            SscSolver.Ensc => new ElasticNetSolver
            {
                DType = DType, Device = Device, Alpha = Alpha ?? ElasticNetSolver.Defaults.Alpha, GramSpace = GramSpace,
                InitialSupport = InitialSupport ?? Math.Min(ElasticNetSolver.Defaults.InitialSupport, samples - 1),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(Solver), $"The 'Solver' option must be one of {SolverNames}. Got {Solver} instead."),
        };
    }

    /// <summary>The samples as the solver sees them: randomly projected to <see cref="ProjectedDimension"/> features when set,
    /// then unit-length rows when <see cref="NormalizeInputs"/>, else unchanged.</summary>
    /// <param name="samples">N x D, one sample per row.</param>
    /// <remarks>OMP and EnSC scale every sample to unit length themselves, so for them the samples pass unchanged (scaling
    /// twice would only add rounding).</remarks>
    public Tensor Prepare(Tensor samples)
    {
        var projected = Project(samples);
        return NormalizeInputs && Solver is not (SscSolver.Omp or SscSolver.Ensc) ? UnitRows(projected) : projected;
    }

    /// <summary>Pᵀx / √p for every sample (see <see cref="ProjectedDimension"/>); the samples themselves when it is off or p ≥ D.</summary>
    /// <param name="samples">N x D, one sample per row.</param>
    internal Tensor Project(Tensor samples)
    {
        long d = samples.shape[1];
        if (ProjectedDimension is not int p || p >= d) return samples;
        using var generator = new Generator((ulong)ProjectionSeed);
        // Drawn in float64 on the CPU so the matrix is the same bytes whatever the dtype and device of the work.
        var matrix = randn(d, p, ScalarType.Float64, generator: generator).div_(Math.Sqrt(p)).to(samples.dtype, samples.device);
        return samples.matmul(matrix);
    }

    /// <summary>The codes of every sample (<see cref="Prepare"/>, then the solver).</summary>
    /// <param name="samples">N x D, one sample per row, finite.</param>
    public SelfExpression Solve(Tensor samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var solver = CreateSolver((int)samples.shape[0]);
        using var scope = NewDisposeScope();
        return solver.Solve(Prepare(samples));
    }

    /// <summary>The codes and the affinity graph W = |C| + |C|<sup>T</sup> (after <see cref="Affinity"/>).</summary>
    /// <param name="samples">N x D, one sample per row, finite.</param>
    public (SelfExpression Expression, AffinityGraph Graph) BuildGraph(Tensor samples)
    {
        var expression = Solve(samples);
        return (expression, AffinityGraph.FromCodes(expression.Coefficients, Affinity));
    }

    /// <summary>Whether <see cref="BuildGraphFromGram"/> solves from the Gram matrix alone: OMP without a random projection and
    /// without <see cref="GramSpace"/> turned off. The other solvers read the samples.</summary>
    public bool SolvesFromGram => Solver == SscSolver.Omp && ProjectedDimension is null && GramSpace != false;

    /// <summary>The solver and what keeps it from the Gram matrix, for messages ("the Admm solver", "the Omp solver with a random projection").</summary>
    internal string SolverDescription => $"the {Solver} solver{(ProjectedDimension is null ? "" : " with a random projection")}{(GramSpace == false ? " without Gram space" : "")}";

    /// <summary>
    /// The codes and the graph when the caller already holds the samples' Gram matrix X Xᵀ (the full-scale analysis forms it
    /// once per layer for SSC and linear CKA): OMP solves from it alone (<see cref="OmpSolver.SolveGram"/>; equal to
    /// <see cref="BuildGraph"/>'s codes up to the rounding of forming G before the unit-length scaling), every other
    /// configuration (<see cref="SolvesFromGram"/> false) asks <paramref name="samples"/> for the samples and takes
    /// <see cref="BuildGraph"/>.
    /// </summary>
    /// <param name="gram">N x N Gram matrix of the samples as rows (not unit length), finite.</param>
    /// <param name="samples">Gives the N x D samples when the configuration needs them.</param>
    public (SelfExpression Expression, AffinityGraph Graph) BuildGraphFromGram(Tensor gram, Func<Tensor> samples)
    {
        ArgumentNullException.ThrowIfNull(gram);
        ArgumentNullException.ThrowIfNull(samples);
        if (!SolvesFromGram) return BuildGraph(samples());
        var solver = (OmpSolver)CreateSolver((int)gram.shape[0]);
        var expression = solver.SolveGram(gram);
        return (expression, AffinityGraph.FromCodes(expression.Coefficients, Affinity));
    }

    /// <summary>Codes, graph and spectral clusters (You et al.'s template: solve → W → spectral clustering).</summary>
    /// <param name="samples">N x D, one sample per row, finite.</param>
    /// <param name="clusters">Number of clusters, in [2, N].</param>
    /// <param name="seed">The caller's seed, used when <see cref="Seed"/> is null.</param>
    public SscResult Cluster(Tensor samples, int clusters, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        long n = samples.shape[0];
        using var scope = NewDisposeScope();
        return SubspaceClustering.Run(Prepare(samples), CreateSolver((int)n), clusters, Affinity, Seed ?? seed ?? Defaults.Seed);
    }

    /// <summary>
    /// The code of a new sample over fitted samples: OMP with <see cref="NonZerosFor"/> non-zeros over the unit-length
    /// fitted samples (the greedy l0 code whatever <see cref="Solver"/> fitted them, since a new sample has no Lasso problem
    /// of its own). Cost O(k N D) per query.
    /// </summary>
    /// <param name="fitted">N x D fitted samples, one per row.</param>
    /// <param name="queries">M x D new samples, one per row.</param>
    /// <returns>Per query, the indices of the fitted samples used and their coefficients (empty for a zero query).</returns>
    public IReadOnlyList<(int[] Support, double[] Coefficients)> CodeOutOfSample(Tensor fitted, Tensor queries)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        using var coder = CreateOutOfSampleCoder(fitted);
        return coder.Code(queries);
    }

    /// <summary>A coder for many queries over one set of fitted samples (see <see cref="CodeOutOfSample"/>).</summary>
    /// <param name="fitted">N x D fitted samples, one per row.</param>
    internal OutOfSampleCoder CreateOutOfSampleCoder(Tensor fitted)
    {
        int n = (int)fitted.shape[0];
        return new OutOfSampleCoder(new OmpSolver { DType = DType, Device = Device, MaximumNonZeros = Math.Min(NonZerosFor(n), n) }, fitted);
    }

    /// <summary>A short description for manifests and reports.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{SolverName(Solver)}{(Alpha is double a ? $", alpha={a}" : "")}{(NonZeros is int k ? $", k={k}" : "")}{(InitialSupport is int s ? $", initial-support={s}" : "")}{(ProjectedDimension is int p ? $", projected to {p} (seed {ProjectionSeed})" : "")}{(NormalizeInputs ? ", unit-norm inputs" : "")}{(GramSpace is bool g ? $", gram-space={(g ? "on" : "off")}" : "")}{(UseDouble ? ", float64" : "")}");

    /// <summary>Rows scaled to unit l2 length; zero rows stay zero.</summary>
    /// <param name="x">N x D.</param>
    internal static Tensor UnitRows(Tensor x) => UnitLength.Along(x, 1, UnitLength.InputFloor);

    private static void Check(bool ok, string option, string expected, object value)
    {
        if (!ok) throw new ArgumentOutOfRangeException(option, $"The '{option}' SSC option must be {expected}. Got {value} instead.");
    }
}
