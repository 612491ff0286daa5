namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>
/// Deterministic (seeded) Louvain community detection (Blondel et al. 2008) on a weighted undirected
/// graph, following networkx's <c>louvain_communities</c> step for step: nodes are visited in a seeded
/// random order, each moves to the neighbouring community of largest positive modularity gain until no
/// move helps, communities are merged into nodes, and levels stop when Q improves by no more than
/// the threshold.
/// </summary>
/// <remarks>
/// Gain of moving u (degree k_u) from its community to community C:
/// w_{u,C}/m - gamma Sigma_tot(C) k_u / (2 m^2) against the cost of leaving. Each sweep is O(nnz);
/// a level typically needs a few sweeps and the graph shrinks geometrically, so the total is near
/// O(nnz log N) in practice. Memory O(N + nnz). The seed fixes the visiting order, so the same seed
/// gives the same communities; networkx's generator differs, so the partitions can differ from
/// networkx's while Q stays close.
/// </remarks>
public static class Louvain
{
    /// <summary>Finds communities.</summary>
    /// <param name="graph">Symmetric N x N non-negative weights (diagonal entries are self-loops).</param>
    /// <param name="seed">Seed of the node visiting order.</param>
    /// <param name="resolution">The resolution gamma (1 is Newman's modularity).</param>
    /// <param name="threshold">Stop when a level improves Q by no more than this (networkx's default 1e-7).</param>
    /// <returns>The communities and their modularity.</returns>
    public static LouvainResult Detect(SparseMatrix graph, int seed = 0, double resolution = 1.0, double threshold = 1e-7)
    {
        Modularity.CheckGraph(graph, nameof(graph));
        int n = graph.Rows;
        var random = new Random(seed);
        var membership = Enumerable.Range(0, n).ToArray(); // original node -> node of the current level
        double mod = Modularity.ComputeDense(graph, membership, n, resolution);
        double m = TotalWeight(graph);
        var level = graph;
        int levels = 0;
        var (inner, count, improvement) = OneLevel(level, m, resolution, random);
        var best = (int[])membership.Clone();
        while (improvement)
        {
            for (int i = 0; i < n; i++) best[i] = inner[membership[i]];
            double newMod = Modularity.ComputeDense(level, inner, count, resolution);
            if (newMod - mod <= threshold) break;
            levels++;
            mod = newMod;
            membership = (int[])best.Clone();
            level = Aggregate(level, inner, count);
            (inner, count, improvement) = OneLevel(level, m, resolution, random);
        }
        var (labels, communities) = Renumber(best);
        return new LouvainResult(labels, communities, Modularity.ComputeDense(graph, labels, communities, resolution), levels);
    }

    /// <summary>One level of local moves; returns the community of each node (0..count-1), the count and whether any node moved.</summary>
    private static (int[] Community, int Count, bool Improvement) OneLevel(SparseMatrix g, double m, double resolution, Random random)
    {
        int n = g.Rows;
        var node2com = Enumerable.Range(0, n).ToArray();
        var degree = new double[n];
        for (int u = 0; u < n; u++)
        {
            var cols = g.RowIndices(u); var vals = g.RowValues(u);
            for (int k = 0; k < cols.Length; k++) degree[u] += cols[k] == u ? 2 * vals[k] : vals[k];
        }
        var stot = (double[])degree.Clone();
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        var weightTo = new double[n];
        var touched = new List<int>();
        double twoMSquared = 2 * m * m;
        bool improvement = false;
        int moves;
        do
        {
            moves = 0;
            foreach (int u in order)
            {
                touched.Clear();
                var cols = g.RowIndices(u); var vals = g.RowValues(u);
                for (int k = 0; k < cols.Length; k++)
                {
                    if (cols[k] == u) continue;
                    int c = node2com[cols[k]];
                    if (weightTo[c] == 0) touched.Add(c);
                    weightTo[c] += vals[k];
                }
                int own = node2com[u], bestCom = own;
                double bestGain = 0, ku = degree[u];
                stot[own] -= ku;
                double removeCost = -weightTo[own] / m + resolution * stot[own] * ku / twoMSquared;
                foreach (int c in touched)
                {
                    double gain = removeCost + weightTo[c] / m - resolution * stot[c] * ku / twoMSquared;
                    if (gain > bestGain) { bestGain = gain; bestCom = c; }
                }
                stot[bestCom] += ku;
                foreach (int c in touched) weightTo[c] = 0;
                if (bestCom != own)
                {
                    node2com[u] = bestCom;
                    improvement = true;
                    moves++;
                }
            }
        } while (moves > 0);
        // Keep communities in the order of their original index (networkx filters the empty ones).
        var index = new int[n];
        Array.Fill(index, -1);
        foreach (int c in node2com) index[c] = 0;
        int count = 0;
        for (int c = 0; c < n; c++) if (index[c] == 0) index[c] = count++;
        return (node2com.Select(c => index[c]).ToArray(), count, improvement);
    }

    /// <summary>Merges each community into one node: off-diagonal weights summed, internal edges (once) and loops onto the diagonal.</summary>
    private static SparseMatrix Aggregate(SparseMatrix g, int[] community, int count)
    {
        var rows = new List<int>(g.NonZeroCount);
        var cols = new List<int>(g.NonZeroCount);
        var vals = new List<double>(g.NonZeroCount);
        for (int u = 0; u < g.Rows; u++)
        {
            var c = g.RowIndices(u); var v = g.RowValues(u);
            for (int k = 0; k < c.Length; k++)
            {
                int a = community[u], b = community[c[k]];
                rows.Add(a);
                cols.Add(b);
                vals.Add(a == b && c[k] != u ? v[k] / 2 : v[k]);
            }
        }
        return SparseMatrix.FromTriplets(count, count, rows.ToArray(), cols.ToArray(), vals.ToArray());
    }

    /// <summary>Total edge weight m (each undirected edge once, loops once).</summary>
    private static double TotalWeight(SparseMatrix g)
    {
        double twiceM = 0;
        for (int u = 0; u < g.Rows; u++)
        {
            var c = g.RowIndices(u); var v = g.RowValues(u);
            for (int k = 0; k < c.Length; k++) twiceM += c[k] == u ? 2 * v[k] : v[k];
        }
        if (twiceM <= 0) throw new ArgumentException("The graph has no edges (total weight 0), so there are no communities to find.", "graph");
        return twiceM / 2;
    }

    private static (int[] Labels, int Count) Renumber(int[] raw)
    {
        var map = new Dictionary<int, int>();
        var labels = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            if (!map.TryGetValue(raw[i], out int c)) map[raw[i]] = c = map.Count;
            labels[i] = c;
        }
        return (labels, map.Count);
    }
}
