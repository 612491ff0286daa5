using System.Diagnostics;
using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// A solver of the self-expressive problem x<sub>i</sub> ≈ X c<sub>i</sub>, c<sub>ii</sub> = 0, for every sample at once
/// (You et al.'s layout: one base, one class per solver, each returning a sparse coefficient matrix).
/// </summary>
public abstract class SelfExpressionSolver
{
    /// <summary>Short name used in logs and the CLI (admm, faithful, omp, ensc).</summary>
    public abstract string Name { get; }

    /// <summary>Element type of the dense work (float32 by default).</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Device of the dense work (CPU by default).</summary>
    public Device? Device { get; init; }

    /// <summary>Solves for every sample.</summary>
    /// <param name="samples">N x D, <b>one sample per row</b>, finite values; not modified.</param>
    /// <returns>The sparse codes (row i = the code of sample i) and solver diagnostics.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 samples, not a matrix, or a NaN/infinite value (row and column named).</exception>
    /// <exception cref="InsufficientMemoryException">The dense work would not fit in memory (the message gives the estimate).</exception>
    public SelfExpression Solve(Tensor samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Validate(samples);
        int n = (int)samples.shape[0], d = (int)samples.shape[1];
        CheckMemory(n, d);
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = samples.to(DType, Device ?? CPU).t(); // D x N: columns are samples, as in the maths.
        var (c, iterations, converged) = SolveColumns(x);
        return new SelfExpression(c, iterations, converged, clock.Elapsed.TotalSeconds, Name);
    }

    /// <summary>Solves with columns as samples.</summary>
    /// <param name="x">D x N, one sample per column, in <see cref="DType"/> on <see cref="Device"/>.</param>
    /// <returns>Row i of the sparse matrix = code of sample i.</returns>
    protected abstract (SparseMatrix Coefficients, int Iterations, bool Converged) SolveColumns(Tensor x);

    /// <summary>Bytes of working memory the solve needs for <paramref name="n"/> samples of dimension <paramref name="d"/>.</summary>
    /// <param name="n">Number of samples.</param>
    /// <param name="d">Ambient dimension.</param>
    public abstract long EstimateBytes(int n, int d);

    /// <summary>Bytes one element of <see cref="DType"/> takes.</summary>
    protected long ElementBytes => DType == ScalarType.Float64 ? 8 : 4;

    /// <summary>Throws with the estimate and a suggestion when the work would not fit.</summary>
    /// <param name="n">Samples.</param>
    /// <param name="d">Dimension.</param>
    protected virtual void CheckMemory(int n, int d)
    {
        MemoryBudget.Check($"The {Name} solver for N = {n} samples of dimension {d}", EstimateBytes(n, d), MemoryBudget.AvailableBytes(), Suggestion);
    }

    /// <summary>What to do instead when the work does not fit.</summary>
    protected virtual string Suggestion => "Use the omp or ensc solver, whose memory grows linearly in N.";

    /// <summary>Checks shape and finiteness of the samples; names the first bad row and column.</summary>
    /// <param name="samples">N x D.</param>
    public static void Validate(Tensor samples)
    {
        if (samples.dim() != 2)
            throw new ArgumentException($"Expected a matrix of N samples (rows) x D features. Got a tensor of shape [{string.Join(", ", samples.shape)}] instead.", nameof(samples));
        if (samples.shape[0] < 2)
            throw new ArgumentException($"Found {samples.shape[0]} sample(s) while a minimum of 2 is required: each sample is written as a combination of the others.", nameof(samples));
        if (samples.shape[1] < 1)
            throw new ArgumentException("Samples have no features (D = 0).", nameof(samples));
        using var scope = NewDisposeScope();
        var bad = isfinite(samples).logical_not();
        if (bad.any().item<bool>())
        {
            var at = bad.nonzero()[0];
            long row = at[0].item<long>(), col = at[1].item<long>();
            double value = samples[row, col].to(ScalarType.Float64).item<double>();
            throw new ArgumentException($"Sample (row) {row + 1}, feature (column) {col + 1} (counted from 1): expected a finite number, found {value}.", nameof(samples));
        }
    }

    /// <summary>Turns a dense N x N coefficient tensor (column i = code of sample i) into the sparse row-per-sample form.</summary>
    /// <param name="c">Dense N x N, columns are codes.</param>
    protected static SparseMatrix ToSparseCodes(Tensor c)
    {
        using var scope = NewDisposeScope();
        var ct = c.t().contiguous().to(ScalarType.Float64).cpu(); // row i = code of sample i
        var idx = ct.nonzero(); // lexicographic: rows sorted, columns increasing
        long nnz = idx.shape[0];
        int n = (int)c.shape[0];
        var rows = idx[.., 0].to(ScalarType.Int32).data<int>().ToArray();
        var cols = idx[.., 1].to(ScalarType.Int32).data<int>().ToArray();
        var vals = nnz == 0 ? [] : ct.flatten().index(idx[.., 0] * n + idx[.., 1]).data<double>().ToArray();
        return SparseMatrix.FromTriplets(n, n, rows, cols, vals);
    }
}
