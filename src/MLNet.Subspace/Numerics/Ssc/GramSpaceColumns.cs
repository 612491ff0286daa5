using System.Numerics;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// OMP's greedy steps on the unit-length samples' Gram matrix G, on the CPU, one column at a time: the same maths as the
/// tensor batches of <c>OmpSolver.SolveBatchGram</c> (correlations X<sup>T</sup>r kept and updated by w<sub>s</sub> = X<sup>T</sup>q<sub>s</sub> per
/// step), with the column's state (its N correlations and k rows w) in cache.
/// </summary>
/// <remarks>
/// Why a loop: the step's work is O(N s) per column — a few passes over N numbers — so the tensor batches are bound by memory
/// traffic (b x N temporaries written and read about a dozen times per step), not by flops. Here each step reads one row of G
/// and makes s + 3 SIMD passes over vectors that stay in L2: at N = 10,000 the steps took 85 s as tensor batches and ~2 s here
/// (docs/benchmarks.md). Columns are independent and each is computed in a fixed order, so the codes are bit-identical
/// whatever the thread count. Cost O(N k²) per column, memory O(N k) per thread plus G.
/// </remarks>
internal static class GramSpaceColumns
{
    /// <summary>The codes of columns <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 of
    /// <paramref name="unitGram"/> (N x N, contiguous, CPU, in <typeparamref name="T"/>); every column when the range is omitted.
    /// A column's code does not depend on which others are solved with it, so blocks of columns give the rows of the whole.</summary>
    /// <param name="unitGram">The Gram matrix of unit-length samples (zero samples: zero rows).</param>
    /// <param name="k">Most non-zeros per code, in [1, N − 1].</param>
    /// <param name="residualTolerance">Stop a column once its residual norm is at most this.</param>
    /// <param name="start">First column solved.</param>
    /// <param name="count">Columns solved; null: to the last.</param>
    /// <returns>N x N, row i = the code of sample i (empty outside the range); the most steps any of its columns took; converged
    /// (always: OMP stops by construction).</returns>
    public static unsafe (SparseMatrix Codes, int Steps, bool Converged) Solve<T>(Tensor unitGram, int k, double residualTolerance, int start = 0, int? count = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = (int)unitGram.shape[0], m = count ?? n - start;
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m, n - start, nameof(count));
        double floor = GramSpace.SquaredNormFloor(unitGram.dtype);
        double stop2 = Math.Max(residualTolerance * residualTolerance, floor);
        var selected = new int[(long)m * k];
        var coefficients = new double[(long)m * k];
        var steps = new int[m];
        fixed (byte* bytes = unitGram.bytes)
        {
            var gram = (IntPtr)bytes;
            Parallel.For(0, m, () => new Workspace<T>(n, k), (j, _, work) =>
            {
                steps[j] = work.Column((T*)gram, start + j, floor, stop2, selected.AsSpan(j * k, k), coefficients.AsSpan(j * k, k));
                return work;
            }, _ => { });
        }
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<double>();
        for (int j = 0; j < m; j++)
            for (int s = 0; s < k; s++)
            {
                double v = coefficients[(long)j * k + s];
                if (v == 0 || !double.IsFinite(v)) continue;
                rows.Add(start + j);
                cols.Add(selected[(long)j * k + s]);
                vals.Add(v);
            }
        return (SparseMatrix.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), vals.ToArray()), steps.Length == 0 ? 0 : steps.Max(), true);
    }

    /// <summary>One thread's state: the column's correlations, its w rows, R and z.</summary>
    private sealed class Workspace<T>(int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _corr = new T[n];
        private readonly T[] _w = new T[(long)n * k];
        private readonly T[] _sum = new T[n];
        private readonly double[] _r = new double[k * k];
        private readonly double[] _z = new double[k];

        /// <summary>Greedy steps for sample <paramref name="i"/>; writes its picks and coefficients (0 where unused) and returns the steps taken.</summary>
        public unsafe int Column(T* gram, int i, double floor, double stop2, Span<int> picks, Span<double> code)
        {
            var corr = _corr.AsSpan();
            new ReadOnlySpan<T>(gram + (long)i * n, n).CopyTo(corr); // X^T r with r = x_i
            double residual2 = double.CreateTruncating(corr[i]); // 1, or 0 for a zero sample
            int used = 0;
            for (int s = 0; s < k && residual2 > stop2; s++)
            {
                int p = ArgMaxMagnitude(corr, i, picks[..s], out double best);
                if (best <= 1e-12) break; // nothing correlates with the residual any more
                var row = new ReadOnlySpan<T>(gram + (long)p * n, n);
                double norm2 = double.CreateTruncating(row[p]);
                for (int t = 0; t < s; t++)
                {
                    double projection = double.CreateTruncating(_w[(long)t * n + p]);
                    _r[t * k + s] = projection;
                    norm2 -= projection * projection;
                }
                if (norm2 <= floor) break; // the atom lies in the span of the chosen ones
                var norm = T.CreateTruncating(Math.Sqrt(norm2));
                var w = _w.AsSpan(s * n, n);
                // w_s = (G[p, :] - sum_t R_ts w_t) / R_ss.
                var sum = _sum.AsSpan();
                sum.Clear();
                for (int t = 0; t < s; t++) AddScaled(sum, _w.AsSpan(t * n, n), T.CreateTruncating(_r[t * k + s]));
                SubtractAndDivide(row, sum, norm, w);
                T along = corr[p] / norm; // z_s = q_s^T r
                AddScaled(corr, w, -along);
                picks[s] = p;
                _r[s * k + s] = double.CreateTruncating(norm);
                _z[s] = double.CreateTruncating(along);
                residual2 -= _z[s] * _z[s];
                used = s + 1;
            }
            // R c = z by back-substitution over the steps used.
            code.Clear();
            for (int s = used - 1; s >= 0; s--)
            {
                double rhs = _z[s];
                for (int u = s + 1; u < used; u++) rhs -= _r[s * k + u] * code[u];
                code[s] = rhs / _r[s * k + s];
            }
            return used;
        }

        /// <summary>The first index of the largest |corr[j]| over j ≠ <paramref name="self"/> and j not yet picked.</summary>
        private static int ArgMaxMagnitude(Span<T> corr, int self, ReadOnlySpan<int> picked, out double best)
        {
            // The excluded entries are set to zero for the search and restored after it.
            Span<T> kept = stackalloc T[picked.Length + 1];
            kept[0] = corr[self];
            corr[self] = T.Zero;
            for (int t = 0; t < picked.Length; t++)
            {
                kept[t + 1] = corr[picked[t]];
                corr[picked[t]] = T.Zero;
            }
            var maxima = Vector<T>.Zero;
            int width = Vector<T>.Count, j = 0;
            for (; j <= corr.Length - width; j += width) maxima = Vector.Max(maxima, Vector.Abs(new Vector<T>(corr[j..])));
            T largest = T.Zero;
            for (int lane = 0; lane < width; lane++) largest = T.Max(largest, maxima[lane]);
            for (; j < corr.Length; j++) largest = T.Max(largest, T.Abs(corr[j]));
            int index = 0;
            while (index < corr.Length && T.Abs(corr[index]) != largest) index++;
            for (int t = picked.Length - 1; t >= 0; t--) corr[picked[t]] = kept[t + 1];
            corr[self] = kept[0];
            best = double.CreateTruncating(largest);
            return Math.Min(index, corr.Length - 1);
        }

        /// <summary>y += a x.</summary>
        private static void AddScaled(Span<T> y, ReadOnlySpan<T> x, T a)
        {
            int width = Vector<T>.Count, j = 0;
            var va = new Vector<T>(a);
            for (; j <= y.Length - width; j += width) (new Vector<T>(y[j..]) + va * new Vector<T>(x[j..])).CopyTo(y[j..]);
            for (; j < y.Length; j++) y[j] += a * x[j];
        }

        /// <summary>w = (row − sum) / norm.</summary>
        private static void SubtractAndDivide(ReadOnlySpan<T> row, ReadOnlySpan<T> sum, T norm, Span<T> w)
        {
            int width = Vector<T>.Count, j = 0;
            var vn = new Vector<T>(norm);
            for (; j <= w.Length - width; j += width) ((new Vector<T>(row[j..]) - new Vector<T>(sum[j..])) / vn).CopyTo(w[j..]);
            for (; j < w.Length; j++) w[j] = (row[j] - sum[j]) / norm;
        }
    }
}
