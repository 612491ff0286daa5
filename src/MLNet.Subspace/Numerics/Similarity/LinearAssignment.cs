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
/// Among equally short paths an unassigned column is taken first, then the scan order, so the value is exact and the
/// assignment deterministic, though among equally good assignments it may differ from SciPy's.</para>
/// <para>Cost O(n^2 m) time worst case, O(n m) memory for the costs.</para>
/// </remarks>
internal static class LinearAssignment
{
    /// <summary>The column assigned to each row, minimising the total cost.</summary>
    /// <param name="cost">Row-major n x m finite costs, n &lt;= m.</param>
    /// <param name="n">Rows.</param>
    /// <param name="m">Columns (at least <paramref name="n"/>).</param>
    /// <returns>For each row its column, all distinct.</returns>
    public static int[] Minimise(double[] cost, int n, int m)
    {
        if (n > m) throw new ArgumentException($"The assignment needs no more rows than columns. Got {n} x {m}; pass the transpose.");
        if (cost.Length != (long)n * m) throw new ArgumentException($"Expected {n} x {m} = {(long)n * m} costs. Got {cost.Length}.");
        var u = new double[n];
        var v = new double[m];
        var pathCost = new double[m];
        var previousRow = new int[m];
        var rowOfColumn = new int[m];
        var assignment = new int[n];
        var remaining = new int[m];
        var rowReached = new bool[n];
        var columnReached = new bool[m];
        Array.Fill(rowOfColumn, -1);
        Array.Fill(assignment, -1);
        for (int start = 0; start < n; start++)
        {
            Array.Fill(pathCost, double.PositiveInfinity);
            Array.Clear(rowReached);
            Array.Clear(columnReached);
            for (int j = 0; j < m; j++) remaining[j] = m - 1 - j;
            int left = m, sink = -1, i = start;
            double shortest = 0;
            while (sink < 0)
            {
                rowReached[i] = true;
                double lowest = double.PositiveInfinity;
                int lowestAt = -1;
                int offset = i * m;
                for (int r = 0; r < left; r++)
                {
                    int j = remaining[r];
                    double reduced = shortest + cost[offset + j] - u[i] - v[j];
                    if (reduced < pathCost[j]) { previousRow[j] = i; pathCost[j] = reduced; }
                    if (pathCost[j] < lowest || (pathCost[j] == lowest && rowOfColumn[j] < 0)) { lowest = pathCost[j]; lowestAt = r; }
                }
                shortest = lowest;
                int column = remaining[lowestAt];
                columnReached[column] = true;
                remaining[lowestAt] = remaining[--left];
                if (rowOfColumn[column] < 0) sink = column;
                else i = rowOfColumn[column];
            }
            u[start] += shortest;
            for (int row = 0; row < n; row++)
                if (rowReached[row] && row != start) u[row] += shortest - pathCost[assignment[row]];
            for (int j = 0; j < m; j++)
                if (columnReached[j]) v[j] -= shortest - pathCost[j];
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
}
