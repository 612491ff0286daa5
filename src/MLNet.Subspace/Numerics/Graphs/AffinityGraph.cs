using System.Globalization;
using System.Text;
using MLNet.Subspace.IO;
using MLNet.Subspace.Torch;

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>
/// The symmetric, non-negative affinity graph W = |C| + |C|<sup>T</sup> of a self-expressive code, stored sparse (CSR).
/// </summary>
/// <remarks>Building costs O(nnz log nnz); memory 2 nnz doubles and ints. <see cref="Weights"/> is the
/// <see cref="SparseMatrix"/> other analyses (modularity, CKA) consume.</remarks>
public sealed class AffinityGraph
{
    private const string Magic = "MLNSAG02"; // 02: body is SparseMatrix.Write (rows, columns, nnz, CSR)

    private AffinityGraph(SparseMatrix weights) => Weights = weights;

    /// <summary>W: N x N, symmetric, non-negative, zero diagonal, CSR.</summary>
    public SparseMatrix Weights { get; }

    /// <summary>Number of nodes (samples).</summary>
    public int Count => Weights.Rows;

    /// <summary>Builds W from codes (row i = code of sample i) after the optional post-processing.</summary>
    /// <param name="codes">N x N sparse codes.</param>
    /// <param name="options">Post-processing; null keeps the codes as they are.</param>
    /// <returns>The graph.</returns>
    public static AffinityGraph FromCodes(SparseMatrix codes, AffinityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rows != codes.Columns)
            throw new ArgumentException($"Codes must be square (N x N). Got {codes.Rows}x{codes.Columns} instead.", nameof(codes));
        options ??= new AffinityOptions();
        options.Validate(Math.Max(2, codes.Rows));
        var rows = new List<int>(codes.NonZeroCount * 2);
        var cols = new List<int>(codes.NonZeroCount * 2);
        var vals = new List<double>(codes.NonZeroCount * 2);
        var order = new List<int>();
        for (int i = 0; i < codes.Rows; i++)
        {
            var idx = codes.RowIndices(i);
            var val = codes.RowValues(i);
            order.Clear();
            double l1 = 0;
            for (int t = 0; t < idx.Length; t++)
            {
                if (idx[t] == i || !double.IsFinite(val[t]) || val[t] == 0) continue;
                order.Add(t);
                l1 += Math.Abs(val[t]);
            }
            if (order.Count == 0) continue;
            var v = val.ToArray();
            order.Sort((a, b) => Math.Abs(v[b]).CompareTo(Math.Abs(v[a])));
            int keep = order.Count;
            if (options.TopK is int k) keep = Math.Min(keep, k);
            if (options.KeepMass < 1)
            {
                double mass = 0;
                for (int t = 0; t < keep; t++)
                {
                    mass += Math.Abs(v[order[t]]);
                    if (mass >= options.KeepMass * l1) { keep = t + 1; break; }
                }
            }
            double scale = 1;
            if (options.NormalizeByMax) scale = 1 / Math.Abs(v[order[0]]);
            else if (options.NormalizeRowL2)
            {
                double ss = 0;
                for (int t = 0; t < keep; t++) ss += v[order[t]] * v[order[t]];
                scale = 1 / Math.Sqrt(ss);
            }
            for (int t = 0; t < keep; t++)
            {
                double w = Math.Abs(v[order[t]]) * scale;
                int j = idx[order[t]];
                rows.Add(i); cols.Add(j); vals.Add(w);
                rows.Add(j); cols.Add(i); vals.Add(w);
            }
        }
        return new AffinityGraph(SparseMatrix.FromTriplets(codes.Rows, codes.Rows, rows.ToArray(), cols.ToArray(), vals.ToArray()));
    }

    /// <summary>Wraps an existing symmetric non-negative matrix as a graph (checked).</summary>
    /// <param name="weights">N x N, symmetric, non-negative, finite.</param>
    public static AffinityGraph FromWeights(SparseMatrix weights)
    {
        GraphChecks.Check(weights, "affinity");
        return new AffinityGraph(weights);
    }

    /// <summary>Neighbours of node <paramref name="node"/> (W<sub>ij</sub> &gt; 0) by descending weight, ties by index.</summary>
    /// <param name="node">Node index.</param>
    public IReadOnlyList<(int Node, double Weight)> Neighbours(int node)
    {
        if ((uint)node >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(node), $"Node must be in [0, {Count - 1}]. Got {node} instead.");
        var idx = Weights.RowIndices(node);
        var val = Weights.RowValues(node);
        var list = new List<(int, double)>(idx.Length);
        for (int t = 0; t < idx.Length; t++) list.Add((idx[t], val[t]));
        list.Sort((a, b) => b.Item2 != a.Item2 ? b.Item2.CompareTo(a.Item2) : a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>Weighted degree of every node.</summary>
    public double[] Degrees() => Weights.RowSums();

    /// <summary>Bytes a dense N x N float64 copy would take.</summary>
    public long DenseBytes => 8L * Count * Count;

    /// <summary>Saves the graph in a small binary format, atomically.</summary>
    /// <param name="path">Destination.</param>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        Write(w);
    });

    /// <summary>Writes the graph to a binary writer (the body of <see cref="Save"/>).</summary>
    /// <param name="w">Writer.</param>
    public void Write(BinaryWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(Encoding.ASCII.GetBytes(Magic));
        Weights.Write(w);
    }

    /// <summary>Loads a graph saved by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not an affinity graph or is truncated.</exception>
    public static AffinityGraph Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream);
        try { return Read(r, path); }
        catch (EndOfStreamException e) { throw new InvalidDataException($"{path}: the affinity graph file is truncated.", e); }
    }

    /// <summary>Reads a graph written by <see cref="Write"/>.</summary>
    /// <param name="r">Reader.</param>
    /// <param name="source">Name used in errors.</param>
    public static AffinityGraph Read(BinaryReader r, string source)
    {
        ArgumentNullException.ThrowIfNull(r);
        string magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
        if (magic != Magic) throw new InvalidDataException($"{source}: not an affinity graph file (expected header '{Magic}', found '{magic}').");
        var weights = SparseMatrix.Read(r, source);
        if (weights.Rows != weights.Columns) throw new InvalidDataException($"{source}: an affinity graph must be square, found {weights.Rows}x{weights.Columns}.");
        return FromWeights(weights);
    }

    /// <summary>Writes W as a dense N x N CSV (the peer's <c>--save</c> format), atomically.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="maximumBytes">Refuse when the text would exceed this many bytes (about 12 bytes per cell); default 2 GiB.</param>
    /// <exception cref="InsufficientMemoryException">The dense CSV would be too large (estimate given; use <see cref="ExportEdgesCsv"/>).</exception>
    public void ExportDenseCsv(string path, long maximumBytes = 2L << 30)
    {
        MemoryBudget.Check($"A dense CSV of the {Count} x {Count} affinity (about 12 bytes per cell)", 12L * Count * Count, maximumBytes, "Export the edge list (ExportEdgesCsv) instead.");
        AtomicFile.WriteAllText(path, writer =>
        {
            var line = new StringBuilder();
            var row = new double[Count];
            for (int i = 0; i < Count; i++)
            {
                Array.Clear(row);
                var idx = Weights.RowIndices(i);
                var val = Weights.RowValues(i);
                for (int t = 0; t < idx.Length; t++) row[idx[t]] = val[t];
                line.Clear();
                for (int j = 0; j < Count; j++)
                {
                    if (j > 0) line.Append(',');
                    line.Append(row[j] == 0 ? "0" : row[j].ToString("R", CultureInfo.InvariantCulture));
                }
                writer.WriteLine(line);
            }
        });
    }

    /// <summary>Writes the edges i &lt; j as CSV lines "i,j,weight" with a header, atomically.</summary>
    /// <param name="path">Destination.</param>
    public void ExportEdgesCsv(string path) => AtomicFile.WriteAllText(path, writer =>
    {
        writer.WriteLine("source,target,weight");
        for (int i = 0; i < Count; i++)
        {
            var idx = Weights.RowIndices(i);
            var val = Weights.RowValues(i);
            for (int t = 0; t < idx.Length; t++)
                if (idx[t] > i) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i},{idx[t]},{val[t]:R}"));
        }
    });
}
