using System.CommandLine;
using System.Diagnostics;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace cka</c>: CKA between two CSV matrices (rows = the same N samples), as the reference peer's <c>cka</c>.</summary>
internal static class CkaCommand
{
    public static Command Create()
    {
        var x = new Option<string>("--x") { Description = "First representation (CSV, one sample per row) or, with --gram, an N x N kernel.", Required = true };
        var y = new Option<string>("--y") { Description = "Second representation over the same samples (or, with --gram, an N x N kernel).", Required = true };
        var kernel = new Option<string>("--kernel") { Description = "Kernel: linear or rbf.", DefaultValueFactory = _ => "linear" };
        kernel.AcceptOnlyFromAmong("linear", "rbf");
        var threshold = new Option<double>("--threshold") { Description = "RBF bandwidth as a fraction of the median distance.", DefaultValueFactory = _ => CkaMath.DefaultRbfThreshold };
        var debiased = new Option<bool>("--debiased") { Description = "Use the debiased (U-statistic) HSIC." };
        var gram = new Option<bool>("--gram") { Description = "The inputs are N x N kernels already (for example affinity graphs)." };
        var command = new Command("cka", "Centered kernel alignment of two representations; prints one JSON object {cka, seconds, ...}.") { x, y, kernel, threshold, debiased, gram };
        command.SetAction(result => Run(result.GetValue(x)!, result.GetValue(y)!, result.GetValue(kernel) == "rbf" ? CkaKernel.Rbf : CkaKernel.Linear,
            result.GetValue(threshold), result.GetValue(debiased), result.GetValue(gram)));
        return command;
    }

    private static int Run(string xPath, string yPath, CkaKernel kernel, double threshold, bool debiased, bool gram)
    {
        if (kernel == CkaKernel.Rbf && !(threshold > 0 && double.IsFinite(threshold)))
            throw new ArgumentException($"The '--threshold' option must be a positive number. Got {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} instead.");
        Matrix a = CsvMatrix.Read(xPath), b = CsvMatrix.Read(yPath);
        // Name the files here: the maths only knows X and Y.
        if (a.Rows != b.Rows)
            throw new ArgumentException($"--x {xPath} has {a.Rows} rows but --y {yPath} has {b.Rows}; CKA compares the same N samples, so the row counts must match.");
        if (gram)
            foreach (var (path, m) in new[] { (xPath, a), (yPath, b) })
                if (m.Rows != m.Columns) throw new ArgumentException($"With --gram the inputs are N x N kernels, but {path} is {m.Rows} x {m.Columns}.");
        using var scope = NewDisposeScope();
        var x = tensor(a.Values, [a.Rows, a.Columns], float64);
        var y = tensor(b.Values, [b.Rows, b.Columns], float64);
        string route = gram ? "gram-input" : kernel == CkaKernel.Linear && CkaMath.UseFeatureRoute(a.Rows, a.Columns, b.Columns) ? "feature" : "gram";
        var clock = Stopwatch.StartNew();
        double value = gram ? CkaMath.Cka(x, y, debiased) : CkaMath.Compute(x, y, kernel, threshold, debiased);
        var output = new Dictionary<string, object?> { ["cka"] = value, ["seconds"] = clock.Elapsed.TotalSeconds, ["kernel"] = kernel.ToString().ToLowerInvariant(), ["debiased"] = debiased, ["route"] = route, ["n"] = a.Rows };
        if (value < 0) output["note"] = "The debiased CKA is negative: the unbiased HSIC estimate of two nearly independent representations can fall below 0 at this sample size; read it as no alignment.";
        Json.Print(output);
        return 0;
    }
}
