namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// The rectangular linear assignment problem solved exactly: for an n x m cost matrix with n &lt;= m, the distinct column
/// p(i) of each row that minimises sum_i cost[i, p(i)] (SciPy's <c>linear_sum_assignment</c>).
/// </summary>
/// <remarks>
/// <para>Shortest augmenting paths with dual potentials (the Hungarian method in the form of Jonker and Volgenant,
/// "A shortest augmenting path algorithm for dense and sparse linear assignment problems", Computing 1987): each row in
/// turn is matched by a Dijkstra search over reduced costs cost[i, j] - u_i - v_j &gt;= 0, and the potentials are
/// updated so the reduced costs stay non-negative and the matched ones zero. After n rows the assignment is optimal
/// (complementary slackness). Ties in the optimum are broken by the order of the scan (lower column first), so the
/// value is exact and the assignment deterministic, though it may differ from SciPy's among equally good ones.</para>
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
        // 1-based rows and columns; column 0 is the search's virtual start. rowOf[j]: the row matched to column j (0 = none).
        var u = new double[n + 1];
        var v = new double[m + 1];
        var rowOf = new int[m + 1];
        var previous = new int[m + 1];
        var distance = new double[m + 1];
        var done = new bool[m + 1];
        for (int row = 1; row <= n; row++)
        {
            rowOf[0] = row;
            int column = 0;
            Array.Fill(distance, double.PositiveInfinity);
            Array.Clear(done);
            do
            {
                done[column] = true;
                int i = rowOf[column];
                double delta = double.PositiveInfinity;
                int next = 0;
                long offset = (long)(i - 1) * m - 1;
                for (int j = 1; j <= m; j++)
                {
                    if (done[j]) continue;
                    double reduced = cost[offset + j] - u[i] - v[j];
                    if (reduced < distance[j]) { distance[j] = reduced; previous[j] = column; }
                    if (distance[j] < delta) { delta = distance[j]; next = j; }
                }
                for (int j = 0; j <= m; j++)
                {
                    if (done[j]) { u[rowOf[j]] += delta; v[j] -= delta; }
                    else distance[j] -= delta;
                }
                column = next;
            }
            while (rowOf[column] != 0);
            // Flip the matched and unmatched edges along the path back to the start.
            while (column != 0)
            {
                int back = previous[column];
                rowOf[column] = rowOf[back];
                column = back;
            }
        }
        var assignment = new int[n];
        for (int j = 1; j <= m; j++)
            if (rowOf[j] != 0) assignment[rowOf[j] - 1] = j - 1;
        return assignment;
    }
}
