using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace ssc</c>: sparse subspace clustering of a CSV matrix, one JSON object out (the peer's format).</summary>
internal static class SscCommand
{
    public static Command Create()
    {
        var x = new Option<string>("--x") { Description = "CSV matrix, one sample per row, no header (the peer's format).", Required = true };
        var y = new Option<string?>("--y") { Description = "Labels, one integer per line; enables accuracy, NMI, ARI and sp_error." };
        var ssc = new SscOptionsBinder();
        var clusters = new Option<int?>("--clusters") { Description = "Number of clusters (default: number of distinct labels)." };
        var save = new Option<string?>("--save-affinity") { Description = "Write W = |C| + |C|^T as a dense CSV (the peer's --save format)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the spectral clustering.", DefaultValueFactory = _ => SscOptions.Defaults.Seed };
        var trace = new Option<bool>("--trace") { Description = "admm: print (iteration, primal, dual, rho) at each residual check to stderr." };
        var connectivity = new Option<bool>("--connectivity") { Description = "Also report connectivity (per-class algebraic connectivity; costs extra eigen-solves)." };
        var command = new Command("ssc", "Sparse subspace clustering of a CSV matrix: solve, build W = |C| + |C|^T, spectral clustering; prints one JSON object.")
            { x, y, clusters, save, seed, connectivity, trace };
        ssc.AddTo(command);
        command.SetAction(r => Run(r.GetValue(x)!, r.GetValue(y), ssc.Read(r) with { Seed = r.GetValue(seed) }, r.GetValue(clusters),
            r.GetValue(save), r.GetValue(connectivity), r.GetValue(trace)));
        return command;
    }

    private static int Run(string xPath, string? yPath, SscOptions options, int? clusters, string? save, bool connectivity, bool trace)
    {
        var matrix = CsvMatrix.Read(xPath);
        int[]? labels = yPath is null ? null : CsvMatrix.ReadLabels(yPath, matrix.Rows);
        int nClusters = clusters ?? labels?.Distinct().Count()
            ?? throw new ArgumentException("Give --clusters, or --y to take the number of distinct labels.");
        if (matrix.Rows < 2) throw new ArgumentException($"{xPath} holds {matrix.Rows} sample; SSC needs at least 2.");
        if (nClusters < 2 || nClusters > matrix.Rows)
            throw new ArgumentException(clusters is null
                ? $"{yPath} holds {nClusters} distinct label(s); clustering needs from 2 to N = {matrix.Rows} clusters."
                : $"The '--clusters' option must be an integer in [2, N] = [2, {matrix.Rows}] ({xPath} has {matrix.Rows} rows). Got {nClusters} instead.");
        if (save is not null)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(save))!;
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write {save}: the folder {folder} does not exist.");
        }
        var solver = options.CreateSolver(matrix.Rows);
        if (trace && solver is AdmmLassoSolver admm)
            solver = new AdmmLassoSolver
            {
                DType = admm.DType, Alpha = admm.Alpha,
                Trace = (it, p, d, rho, obj) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"it {it} primal {p:G3} dual {d:G3} rho {rho:G3} objective {obj:G6}")),
            };
        using var samples = torch.tensor(matrix.Values, [matrix.Rows, matrix.Columns], torch.float64);
        var prepareClock = System.Diagnostics.Stopwatch.StartNew();
        var prepared = options.Prepare(samples); // may be samples itself: disposed with it
        double prepareSeconds = prepareClock.Elapsed.TotalSeconds;
        var result = SubspaceClustering.Run(prepared, solver, nClusters, options.Affinity, options.Seed ?? SscOptions.Defaults.Seed);
        var output = new Dictionary<string, object>
        {
            ["method"] = solver.Name,
            ["n"] = matrix.Rows,
            ["dims"] = matrix.Columns,
            ["seconds"] = result.Expression.Seconds,
            ["prepare_seconds"] = prepareSeconds,
            ["spectral_seconds"] = result.SpectralSeconds,
            ["iterations"] = result.Expression.Iterations,
            ["converged"] = result.Expression.Converged,
            ["nnz_per_column"] = result.Expression.NonZerosPerSample,
            ["clusters"] = nClusters,
        };
        if (solver is AdmmLassoSolver { Rank: > 0 } solved) output["rank"] = solved.Rank;
        if (labels is not null)
        {
            output["accuracy"] = ClusteringMetrics.Accuracy(labels, result.Labels);
            output["nmi"] = ClusteringMetrics.NormalizedMutualInformation(labels, result.Labels);
            output["ari"] = ClusteringMetrics.AdjustedRandIndex(labels, result.Labels);
            output["sp_error"] = SelfExpressionMetrics.SubspacePreservingError(result.Expression.Coefficients, labels);
            if (connectivity) output["connectivity"] = SelfExpressionMetrics.Connectivity(result.Graph.Weights, labels);
        }
        if (save is not null) result.Graph.ExportDenseCsv(save);
        Console.WriteLine(JsonSerializer.Serialize(output));
        return 0;
    }
}
