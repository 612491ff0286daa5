using System.Numerics;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// The rectangular linear assignment problem solved exactly: for an n x m cost matrix with n &lt;= m, the distinct column
/// p(i) of each row that minimises sum_i cost[i, p(i)] (SciPy's <c>linear_sum_assignment</c>).
/// </summary>
/// <remarks>
/// <para>Shortest augmenting paths with dual potentials (Jonker and Volgenant, "A shortest augmenting path algorithm for
/// dense and sparse linear assignment problems", Computing 1987; in the form of Crouse, "On implementing 2D rectangular
/// assignment algorithms", IEEE TAES 2016, which SciPy uses): each row in turn is matched by a Dijkstra search over the
/// reduced costs cost[i, j] - u_i - v_j &gt;= 0 that scans only the columns not yet reached, then the potentials are
/// updated so the matched reduced costs stay zero. After n rows the assignment is optimal (complementary slackness).
/// Among equally short paths an unassigned column is taken first, then the lowest index, so the value is exact and the
/// assignment deterministic, though among equally good assignments it may differ from SciPy's.</para>
/// <para>Each step of the search scans every column of its row in SIMD lanes (<see cref="Vector{T}"/>) over dense
/// arrays: a reached column's potential reads as -infinity there, so its tentative cost can no longer fall, and its
/// tentative cost as +infinity, so it is not picked again. That scans all m columns where a list of the unreached ones
/// would scan fewer, but without the gathers of the list (over the 210 pairs of the all-pairs benchmark 0.9-1.45 s against
/// 1.1-1.8 s for the list scan, four runs on the loaded machine: a modest gain; docs/benchmarks.md).</para>
/// <para>Cost O(n^2 m) time worst case, O(n m) memory for the costs.</para>
/// </remarks>
internal static class LinearAssignment
{
    /// <summary>The column assigned to each row, minimising the total cost.</summary>
    /// <param name="cost">Row-major n x m finite costs, n &lt;= m.</param>
    /// <param name="n">Rows.</param>
    /// <param name="m">Columns (at least <paramref name="n"/>).</param>
    /// <returns>For each row its column, all distinct.</returns>
    public static int[] Minimise(ReadOnlySpan<double> cost, int n, int m)
    {
        if (n > m) throw new ArgumentException($"The assignment needs no more rows than columns. Got {n} x {m}; pass the transpose.");
        if (cost.Length != (long)n * m) throw new ArgumentException($"Expected {n} x {m} = {(long)n * m} costs. Got {cost.Length}.");
        var u = new double[n];
        var v = new double[m];
        var tentative = new double[m];  // path cost of each unreached column, +inf once reached
        var scanV = new double[m];      // v of each unreached column, -inf once reached
        var pathCost = new double[m];   // path cost of each reached column
        var previousRow = new int[m];
        var rowOfColumn = new int[m];
        var assignment = new int[n];
        var reachedRows = new int[n];
        var reachedColumns = new int[m];
        Array.Fill(rowOfColumn, -1);
        Array.Fill(assignment, -1);
        for (int start = 0; start < n; start++)
        {
            Array.Fill(tentative, double.PositiveInfinity);
            Array.Copy(v, scanV, m);
            int rowsReached = 0, columnsReached = 0, sink = -1, i = start;
            double shortest = 0;
            while (sink < 0)
            {
                reachedRows[rowsReached++] = i;
                Relax(cost.Slice(i * m, m), shortest - u[i], scanV, tentative, previousRow, i);
                int column = Lowest(tentative, rowOfColumn);
                shortest = tentative[column];
                pathCost[column] = shortest;
                tentative[column] = double.PositiveInfinity;
                scanV[column] = double.NegativeInfinity;
                reachedColumns[columnsReached++] = column;
                if (rowOfColumn[column] < 0) sink = column;
                else i = rowOfColumn[column];
            }
            u[start] += shortest;
            for (int r = 1; r < rowsReached; r++)
            {
                int row = reachedRows[r];
                u[row] += shortest - pathCost[assignment[row]];
            }
            for (int c = 0; c < columnsReached; c++)
            {
                int j = reachedColumns[c];
                v[j] -= shortest - pathCost[j];
            }
            // Flip the matched and unmatched edges along the path back to the start row.
            for (int column = sink; ;)
            {
                int row = previousRow[column];
                rowOfColumn[column] = row;
                (assignment[row], column) = (column, assignment[row]);
                if (row == start) break;
            }
        }
        return assignment;
    }

    /// <summary>tentative[j] = min(tentative[j], offset + cost[j] - scanV[j]), remembering <paramref name="row"/> where it fell.</summary>
    private static void Relax(ReadOnlySpan<double> costs, double offset, double[] scanV, double[] tentative, int[] previousRow, int row)
    {
        int width = Vector<double>.Count, j = 0;
        var shift = new Vector<double>(offset);
        for (; j <= costs.Length - width; j += width)
        {
            var candidate = shift + new Vector<double>(costs.Slice(j, width)) - new Vector<double>(scanV, j);
            var current = new Vector<double>(tentative, j);
            if (!Vector.LessThanAny(candidate, current)) continue;
            var lower = Vector.LessThan(candidate, current);
            Vector.Min(candidate, current).CopyTo(tentative, j);
            for (int k = 0; k < width; k++)
                if (lower[k] != 0) previousRow[j + k] = row;
        }
        for (; j < costs.Length; j++)
        {
            double candidate = offset + costs[j] - scanV[j];
            if (candidate < tentative[j]) { tentative[j] = candidate; previousRow[j] = row; }
        }
    }

    /// <summary>The column of the lowest tentative cost: an unassigned one among equals, else the lowest index.</summary>
    private static int Lowest(double[] tentative, int[] rowOfColumn)
    {
        int width = Vector<double>.Count, j = 0;
        var lowest = new Vector<double>(double.PositiveInfinity);
        for (; j <= tentative.Length - width; j += width) lowest = Vector.Min(lowest, new Vector<double>(tentative, j));
        double minimum = double.PositiveInfinity;
        for (int k = 0; k < width; k++) minimum = Math.Min(minimum, lowest[k]);
        for (; j < tentative.Length; j++) minimum = Math.Min(minimum, tentative[j]);
        var target = new Vector<double>(minimum);
        int first = -1;
        for (j = 0; j < tentative.Length; j++)
        {
            if (j % width == 0 && j <= tentative.Length - width && !Vector.EqualsAny(new Vector<double>(tentative, j), target))
            {
                j += width - 1;
                continue;
            }
            if (tentative[j] != minimum) continue;
            if (rowOfColumn[j] < 0) return j;
            if (first < 0) first = j;
        }
        return first;
    }
}
