using System.CommandLine;
using System.Diagnostics;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace similarity</c>: any layer-similarity measure between two CSV matrices (rows = the same N samples); one JSON object, like <c>cka</c>.</summary>
internal static class SimilarityCommand
{
    public static Command Create()
    {
        var x = new Option<string?>("--x") { Description = "First representation (CSV, one sample per row, no header)." };
        var y = new Option<string?>("--y") { Description = "Second representation over the same samples." };
        var layers = new Option<string[]>("--layer") { Description = "Instead of --x and --y: two or more layers (CSV each, repeatable); prints the matrix of every pair, each layer's own work done once.", AllowMultipleArgumentsPerToken = true };
        var measure = new Option<string>("--measure") { Description = $"The measure: {SimilarityOptions.MeasureNames}.", DefaultValueFactory = _ => SimilarityOptions.MeasureName(SimilarityOptions.Defaults.Measure) };
        var ridge = new Option<double>("--ridge") { Description = "cca-r2, cca-mean: ridge lambda added to X^T X and Y^T Y (for d > N).", DefaultValueFactory = _ => SimilarityOptions.Defaults.Ridge };
        var keep = new Option<double>("--keep") { Description = "svcca: share of variance kept, in (0, 1].", DefaultValueFactory = _ => SimilarityOptions.Defaults.Keep };
        var alpha = new Option<double>("--alpha") { Description = "shape-metric: alpha in [0, 1] (0 CCA-like, 1 Procrustes-like).", DefaultValueFactory = _ => SimilarityOptions.Defaults.Alpha };
        var distance = new Option<RdmDistance>("--rdm-distance") { Description = "rsa: dissimilarity of the RDMs.", DefaultValueFactory = _ => SimilarityOptions.Defaults.Distance };
        var comparison = new Option<RdmComparison>("--rdm-comparison") { Description = "rsa: comparison of the two RDMs.", DefaultValueFactory = _ => SimilarityOptions.Defaults.Comparison };
        var k = new Option<int>("--k") { Description = "mutual-knn, cycle-knn, cknna: neighbours per sample.", DefaultValueFactory = _ => SimilarityOptions.Defaults.K };
        var command = new Command("similarity", "A layer-similarity measure (CKA, CCA, SVCCA, PWCCA, Procrustes, shape metric, RSA, k-NN alignment) of two representations; prints one JSON object {measure, value, seconds, ...}; with --layer files, the matrix of every pair.")
            { x, y, layers, measure, ridge, keep, alpha, distance, comparison, k };
        command.SetAction(r =>
        {
            var options = new SimilarityOptions
            {
                Measure = SimilarityOptions.ParseMeasure(r.GetValue(measure)!, "--measure"),
                Ridge = r.GetValue(ridge), Keep = r.GetValue(keep), Alpha = r.GetValue(alpha),
                Distance = r.GetValue(distance), Comparison = r.GetValue(comparison), K = r.GetValue(k),
            };
            string? xPath = r.GetValue(x), yPath = r.GetValue(y);
            string[] layerPaths = r.GetValue(layers) ?? [];
            if (layerPaths.Length > 0)
            {
                if (xPath is not null || yPath is not null)
                    throw new ArgumentException("Give either --x and --y (one pair) or --layer files (every pair), not both.");
                return RunLayers(layerPaths, options);
            }
            if (xPath is null || yPath is null)
                throw new ArgumentException("Give --x and --y (one pair of representations), or two or more --layer files (every pair).");
            return Run(xPath, yPath, options);
        });
        return command;
    }

    private static int RunLayers(string[] paths, SimilarityOptions options)
    {
        options.Validate();
        if (paths.Length < 2)
            throw new ArgumentException($"--layer needs at least 2 files to compare. Got {paths.Length} ({paths[0]}).");
        var matrices = paths.Select(CsvMatrix.Read).ToArray();
        for (int l = 1; l < matrices.Length; l++)
            if (matrices[l].Rows != matrices[0].Rows)
                throw new ArgumentException($"--layer {paths[0]} has {matrices[0].Rows} rows but --layer {paths[l]} has {matrices[l].Rows}; the layers must hold the same N samples.");
        using var scope = NewDisposeScope();
        using (var warmUp = ones(1)) { } // loads libtorch before the clock, so "seconds" is the comparison alone
        var clock = Stopwatch.StartNew();
        var tensors = matrices.Select(m => tensor(m.Values, [m.Rows, m.Columns], float64)).ToList();
        var result = LayerSimilarity.Compute(paths.Select(Path.GetFileNameWithoutExtension).ToList()!, tensors, options);
        double seconds = clock.Elapsed.TotalSeconds;
        Json.Print(new Dictionary<string, object?>
        {
            ["measure"] = result.Measure, ["layers"] = result.Layers,
            ["values"] = Enumerable.Range(0, result.Layers.Count).Select(i => Enumerable.Range(0, result.Layers.Count).Select(j => result.Values[i, j]).ToArray()).ToArray(),
            ["seconds"] = seconds, ["higher_is_more_similar"] = result.HigherIsMoreSimilar, ["n"] = matrices[0].Rows,
            ["d"] = matrices.Select(m => m.Columns).ToArray(),
        });
        return 0;
    }

    private static int Run(string xPath, string yPath, SimilarityOptions options)
    {
        options.Validate();
        Matrix a = CsvMatrix.Read(xPath), b = CsvMatrix.Read(yPath);
        if (a.Rows != b.Rows)
            throw new ArgumentException($"--x {xPath} has {a.Rows} rows but --y {yPath} has {b.Rows}; a similarity compares the same N samples, so the row counts must match.");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        double value = options.Compute(tensor(a.Values, [a.Rows, a.Columns], float64), tensor(b.Values, [b.Rows, b.Columns], float64));
        Json.Print(new Dictionary<string, object?>
        {
            ["measure"] = options.Describe(), ["value"] = value, ["seconds"] = clock.Elapsed.TotalSeconds,
            ["higher_is_more_similar"] = options.HigherIsMoreSimilar, ["n"] = a.Rows, ["d1"] = a.Columns, ["d2"] = b.Columns,
        });
        return 0;
    }
}
