using System.CommandLine;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>The SSC options every command that builds graphs takes (ssc, demo, analyze), mapped onto <see cref="SscOptions"/>.</summary>
internal sealed class SscOptionsBinder
{
    private readonly Option<string> _solver = new("--solver")
    {
        Description = $"SSC solver: {SscOptions.SolverNames} (admm: exact Lasso; omp: greedy l0; ensc: elastic net; faithful: the paper's own ADMM).",
        DefaultValueFactory = _ => SscOptions.SolverName(SscOptions.Defaults.Solver),
    };
    private readonly Option<double?> _alpha = new("--alpha") { Description = "Solver regularisation (admm: lambda = alpha / mu_z; ensc: gamma = alpha * gamma_0; faithful: tau); default: the solver's own." };
    private readonly Option<int?> _k = new("--k") { Description = $"Non-zeros per code for omp and for out-of-sample codes; default {SscOptions.Defaults.NonZeros}, capped at N - 1." };
    private readonly Option<int?> _initialSupport = new("--initial-support") { Description = $"ensc: size of the starting support; default {ElasticNetSolver.Defaults.InitialSupport}, capped at N - 1." };
    private readonly Option<bool> _normalize = new("--normalize-inputs") { Description = "Scale every sample to unit length before solving (false matches the reference peer's admm).", DefaultValueFactory = _ => SscOptions.Defaults.NormalizeInputs };
    private readonly Option<int?> _project = new("--project-dim") { Description = "Random Gaussian projection of the features to this many before solving (seeded by --project-seed); default off." };
    private readonly Option<int> _projectSeed = new("--project-seed") { Description = "Seed of the random projection.", DefaultValueFactory = _ => SscOptions.Defaults.ProjectionSeed };
    private readonly Option<string> _gramSpace = new("--gram-space") { Description = "omp/ensc on the Gram matrix X^T X: auto (when D >= N and it fits in memory), on, off.", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> _dtype = new("--dtype") { Description = "float32 | float64 for the dense work.", DefaultValueFactory = _ => SscOptions.Defaults.UseDouble ? "float64" : "float32" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _solver, _alpha, _k, _initialSupport, _normalize, _project, _projectSeed, _gramSpace, _dtype }) command.Options.Add(option);
    }

    /// <summary>The options as given, checked (an unknown solver or dtype, or an out-of-range value, is named).</summary>
    public SscOptions Read(ParseResult result)
    {
        string dtype = result.GetValue(_dtype)!;
        string gram = result.GetValue(_gramSpace)!;
        var options = new SscOptions
        {
            Solver = SscOptions.ParseSolver(result.GetValue(_solver)!, "--solver"),
            Alpha = result.GetValue(_alpha),
            NonZeros = result.GetValue(_k),
            InitialSupport = result.GetValue(_initialSupport),
            NormalizeInputs = result.GetValue(_normalize),
            ProjectedDimension = result.GetValue(_project),
            ProjectionSeed = result.GetValue(_projectSeed),
            GramSpace = gram switch
            {
                "auto" => null,
                "on" => true,
                "off" => false,
                _ => throw new ArgumentException($"The '--gram-space' option must be auto, on or off. Got '{gram}' instead."),
            },
            UseDouble = dtype switch
            {
                "float32" => false,
                "float64" => true,
                _ => throw new ArgumentException($"The '--dtype' option must be float32 or float64. Got '{dtype}' instead."),
            },
        };
        options.Validate(); // its messages name Alpha, NonZeros...; CliErrors turns them into --alpha, --k...
        return options;
    }
}
