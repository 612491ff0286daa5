using System.CommandLine;
using System.Diagnostics;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace similarity</c>: any layer-similarity measure between two CSV matrices (rows = the same N samples); one JSON object, like <c>cka</c>.</summary>
internal static class SimilarityCommand
{
    public static Command Create()
    {
        var x = new Option<string>("--x") { Description = "First representation (CSV, one sample per row, no header).", Required = true };
        var y = new Option<string>("--y") { Description = "Second representation over the same samples.", Required = true };
        var measure = new Option<string>("--measure") { Description = $"The measure: {SimilarityOptions.MeasureNames}.", DefaultValueFactory = _ => SimilarityOptions.MeasureName(SimilarityOptions.Defaults.Measure) };
        var ridge = new Option<double>("--ridge") { Description = "cca-r2, cca-mean: ridge lambda added to X^T X and Y^T Y (for d > N).", DefaultValueFactory = _ => SimilarityOptions.Defaults.Ridge };
        var keep = new Option<double>("--keep") { Description = "svcca: share of variance kept, in (0, 1].", DefaultValueFactory = _ => SimilarityOptions.Defaults.Keep };
        var alpha = new Option<double>("--alpha") { Description = "shape-metric: alpha in [0, 1] (0 CCA-like, 1 Procrustes-like).", DefaultValueFactory = _ => SimilarityOptions.Defaults.Alpha };
        var distance = new Option<RdmDistance>("--rdm-distance") { Description = "rsa: dissimilarity of the RDMs.", DefaultValueFactory = _ => SimilarityOptions.Defaults.Distance };
        var comparison = new Option<RdmComparison>("--rdm-comparison") { Description = "rsa: comparison of the two RDMs.", DefaultValueFactory = _ => SimilarityOptions.Defaults.Comparison };
        var k = new Option<int>("--k") { Description = "mutual-knn, cycle-knn, cknna: neighbours per sample.", DefaultValueFactory = _ => SimilarityOptions.Defaults.K };
        var command = new Command("similarity", "A layer-similarity measure (CKA, CCA, SVCCA, PWCCA, Procrustes, shape metric, RSA, k-NN alignment) of two representations; prints one JSON object {measure, value, seconds, ...}.")
            { x, y, measure, ridge, keep, alpha, distance, comparison, k };
        command.SetAction(r => Run(r.GetValue(x)!, r.GetValue(y)!, new SimilarityOptions
        {
            Measure = SimilarityOptions.ParseMeasure(r.GetValue(measure)!, "--measure"),
            Ridge = r.GetValue(ridge), Keep = r.GetValue(keep), Alpha = r.GetValue(alpha),
            Distance = r.GetValue(distance), Comparison = r.GetValue(comparison), K = r.GetValue(k),
        }));
        return command;
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
