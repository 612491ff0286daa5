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
        var solver = new Option<string>("--solver") { Description = "admm | faithful | omp | ensc.", DefaultValueFactory = _ => "admm" };
        var k = new Option<int?>("--k") { Description = "Non-zeros per code for omp (default 10)." };
        var alpha = new Option<double?>("--alpha") { Description = "alpha: admm lambda = alpha/mu_z (800); ensc gamma = alpha*gamma0 (50); faithful tau (1)." };
        var clusters = new Option<int?>("--clusters") { Description = "Number of clusters (default: number of distinct labels)." };
        var save = new Option<string?>("--save-affinity") { Description = "Write W = |C| + |C|^T as a dense CSV (the peer's --save format)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the spectral clustering.", DefaultValueFactory = _ => 0 };
        var dtype = new Option<string>("--dtype") { Description = "float32 | float64 for the dense work.", DefaultValueFactory = _ => "float32" };
        var trace = new Option<bool>("--trace") { Description = "admm: print (iteration, primal, dual, rho) at each residual check to stderr." };
        var connectivity = new Option<bool>("--connectivity") { Description = "Also report connectivity (per-class algebraic connectivity; costs extra eigen-solves)." };
        var command = new Command("ssc", "Sparse subspace clustering of a CSV matrix: solve, build W = |C| + |C|^T, spectral clustering; prints one JSON object.")
            { x, y, solver, k, alpha, clusters, save, seed, dtype, connectivity, trace };
        command.SetAction(r => Run(r.GetValue(x)!, r.GetValue(y), r.GetValue(solver)!, r.GetValue(k), r.GetValue(alpha), r.GetValue(clusters),
            r.GetValue(save), r.GetValue(seed), r.GetValue(dtype)!, r.GetValue(connectivity), r.GetValue(trace)));
        return command;
    }

    internal static SscSolver ParseSolver(string name) => name.ToLowerInvariant() switch
    {
        "admm" => SscSolver.Admm,
        "faithful" or "admm-faithful" => SscSolver.Faithful,
        "omp" => SscSolver.Omp,
        "ensc" or "elasticnet" => SscSolver.ElasticNet,
        _ => throw new ArgumentException($"The '--solver' option must be one of admm, faithful, omp, ensc. Got '{name}' instead."),
    };

    private static int Run(string xPath, string? yPath, string solverName, int? k, double? alpha, int? clusters, string? save, int seed, string dtypeName, bool connectivity, bool trace)
    {
        try
        {
            var kind = ParseSolver(solverName);
            var dtype = dtypeName switch
            {
                "float32" => torch.ScalarType.Float32,
                "float64" => torch.ScalarType.Float64,
                _ => throw new ArgumentException($"The '--dtype' option must be float32 or float64. Got '{dtypeName}' instead."),
            };
            var matrix = CsvMatrix.Read(xPath);
            int[]? labels = yPath is null ? null : CsvMatrix.ReadLabels(yPath, matrix.Rows);
            int nClusters = clusters ?? labels?.Distinct().Count()
                ?? throw new ArgumentException("Give --clusters, or --y to take the number of distinct labels.");
            if (save is not null)
            {
                string folder = Path.GetDirectoryName(Path.GetFullPath(save))!;
                if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write {save}: the folder {folder} does not exist.");
            }
            var solver = SubspaceClustering.CreateSolver(kind, dtype, alpha, k);
            if (trace && solver is AdmmLassoSolver admm)
                solver = new AdmmLassoSolver
                {
                    DType = admm.DType, Alpha = admm.Alpha,
                    Trace = (it, p, d, rho, obj) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"it {it} primal {p:G3} dual {d:G3} rho {rho:G3} objective {obj:G6}")),
                };
            using var samples = torch.tensor(matrix.Values, [matrix.Rows, matrix.Columns], torch.float64);
            var result = SubspaceClustering.Run(samples, solver, nClusters, seed: seed);
            var output = new Dictionary<string, object>
            {
                ["method"] = solver.Name,
                ["n"] = matrix.Rows,
                ["dims"] = matrix.Columns,
                ["seconds"] = result.Expression.Seconds,
                ["spectral_seconds"] = result.SpectralSeconds,
                ["iterations"] = result.Expression.Iterations,
                ["converged"] = result.Expression.Converged,
                ["nnz_per_column"] = result.Expression.NonZerosPerSample,
                ["clusters"] = nClusters,
            };
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
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or InsufficientMemoryException or DataFileException)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: {e.Message}"));
            return 2;
        }
    }
}
