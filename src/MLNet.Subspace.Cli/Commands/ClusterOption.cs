using System.CommandLine;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>--cluster</c>, <c>--shared</c>, <c>--units-per-silo</c> and <c>--column-blocks</c> of the commands that build layer graphs:
/// connect as a client and run the work units on the cluster's silos instead of in this process, and how finely a layer is split.</summary>
internal sealed class ClusterOption
{
    private readonly Option<string?> _cluster = ConfigurationOption();
    private readonly Option<string?> _shared = new("--shared") { Description = "With --cluster: the folder the workers were started with (--shared), as this machine sees it; the run folder (--out) must lie inside it." };
    private readonly Option<int> _perSilo = new Option<int>("--units-per-silo") { Description = "With --cluster: units in flight per silo.", DefaultValueFactory = _ => ClusterRunnerOptions.Defaults.UnitsPerSilo }.AtLeast(1);
    private readonly Option<int> _columnBlocks = new Option<int>("--column-blocks")
    {
        Description = "Split each layer's pass into its Gram matrix's row blocks and this many blocks of samples' codes, each a work unit, so that "
            + "several silos share one large layer (the results are the same bytes; omp solver on the CPU only). 1: one unit per layer.",
        DefaultValueFactory = _ => AnalysisRunOptions.Defaults.ColumnBlocks,
    }.AtLeast(1);

    /// <summary>The --cluster option as the worker and the clients spell it.</summary>
    public static Option<string?> ConfigurationOption() => new("--cluster")
    {
        Description = "An Orleans cluster's JSON configuration (its 'Orleans' section: ClusterId, Clustering, Endpoints; docs/distributed.md). "
            + "With 'worker' it is optional (default: this machine on loopback); elsewhere it makes the command a client of that cluster.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_cluster);
        command.Options.Add(_shared);
        command.Options.Add(_perSilo);
        command.Options.Add(_columnBlocks);
    }

    /// <summary>Sets <see cref="AnalysisRunOptions.ColumnBlocks"/>. Without --cluster, null (units run in this process). With it: checks
    /// the options and the run folder, connects, and sets <see cref="AnalysisRunOptions.UnitRunner"/>; dispose the session to disconnect.</summary>
    public ClusterSession? Connect(ParseResult result, string runFolder, AnalysisRunOptions options)
    {
        options.ColumnBlocks = result.GetValue(_columnBlocks);
        string? configuration = result.GetValue(_cluster);
        string? shared = result.GetValue(_shared);
        if (configuration is null)
        {
            if (shared is not null) throw new ArgumentException("The '--shared' option is for cluster runs: give --cluster too.");
            return null;
        }
        if (shared is null) throw new ArgumentException("The '--cluster' option needs --shared: the folder the workers were started with.");
        if (!Directory.Exists(shared)) throw new DirectoryNotFoundException($"The '--shared' folder {shared} does not exist.");
        string relative = Path.GetRelativePath(Path.GetFullPath(shared), Path.GetFullPath(runFolder));
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new ArgumentException($"The run folder '{runFolder}' (--out) must lie inside the '--shared' folder {Path.GetFullPath(shared)}, where the workers read and write.");
        var session = ClusterSession.Connect(SubspaceCluster.LoadConfiguration(configuration), shared, new ClusterRunnerOptions { UnitsPerSilo = result.GetValue(_perSilo) });
        options.UnitRunner = session.Runner;
        return session;
    }
}
