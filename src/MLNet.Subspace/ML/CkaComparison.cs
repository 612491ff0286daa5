using Microsoft.Data.Analysis;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.ML;

/// <summary>The result of a <see cref="CkaComparer"/>: the CKA matrix named by layer, with the options that made it.</summary>
public sealed class CkaComparison
{
    /// <summary>Name of the DataFrame's first column, which holds the row (layer) names.</summary>
    public const string LayerColumn = "Layer";

    internal CkaComparison(CkaMatrix matrix, CkaComparer.Options options, string mode, double seconds)
    {
        Values = matrix.Values;
        RowNames = matrix.RowNames;
        ColumnNames = matrix.ColumnNames;
        Reasons = matrix.Reasons.Where(r => r is not null).Select(r => r!).ToList();
        Batches = matrix.Batches;
        Samples = matrix.Samples;
        Options = options;
        Mode = mode;
        Seconds = seconds;
        Kernel = mode.Contains("graphs", StringComparison.Ordinal) ? "graph (affinity as kernel)" : options.Describe();
        Measure = options.Similarity?.Describe() ?? $"cka ({Kernel})";
        HigherIsMoreSimilar = options.Similarity?.HigherIsMoreSimilar ?? true;
        Matrix = ToDataFrame();
    }

    /// <summary>The matrix as a DataFrame: column "Layer" with the row names, then one Double column per compared layer.</summary>
    public DataFrame Matrix { get; }

    /// <summary>The raw values [row, column]; NaN where CKA is undefined (see <see cref="Reasons"/>).</summary>
    public double[,] Values { get; }

    /// <summary>Row names (layers of the first view, or the only view).</summary>
    public IReadOnlyList<string> RowNames { get; }

    /// <summary>Column names (layers of the second view, or the only view).</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Why entries are NaN, one line per degenerate layer; empty when every entry is defined.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>The options used (a copy: kernel, threshold, debiased, minibatch size, memory ceiling).</summary>
    public CkaComparer.Options Options { get; }

    /// <summary>The CKA kernel in words: "linear", "rbf(threshold=t)" or "graph (affinity as kernel)" (not used when <see cref="CkaComparer.Options.Similarity"/> is set; see <see cref="Measure"/>).</summary>
    public string Kernel { get; }

    /// <summary>The measure and its settings: <see cref="Numerics.Similarity.SimilarityOptions.Describe"/> of <see cref="CkaComparer.Options.Similarity"/> when it is set (e.g. "svcca(keep=0.99)"), otherwise "cka" and the kernel (e.g. "cka (linear)").</summary>
    public string Measure { get; }

    /// <summary>Whether larger values mean more alike (false for the distances: Procrustes, the shape and permutation metrics).</summary>
    public bool HigherIsMoreSimilar { get; }

    /// <summary>What was compared: columns of one view, the same columns across two views, or graphs.</summary>
    public string Mode { get; }

    /// <summary>Minibatches averaged (1 without minibatches).</summary>
    public int Batches { get; }

    /// <summary>Rows (inputs) used.</summary>
    public long Samples { get; }

    /// <summary>Wall-clock seconds of the comparison.</summary>
    public double Seconds { get; }

    /// <summary>One value by names.</summary>
    /// <param name="row">Row layer name.</param>
    /// <param name="column">Column layer name.</param>
    public double this[string row, string column]
    {
        get
        {
            int i = IndexOf(RowNames, row), j = IndexOf(ColumnNames, column);
            return Values[i, j];
        }
    }

    /// <summary>Contiguous diagonal blocks of the (square) matrix and their score; see <see cref="BlockStructure"/>.</summary>
    /// <param name="resolution">Modularity resolution (1 = Newman).</param>
    public BlockStructureResult BlockStructure(double resolution = 1.0) => Numerics.Graphs.BlockStructure.Find(Values, resolution);

    private DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn(LayerColumn, RowNames) };
        for (int j = 0; j < ColumnNames.Count; j++)
            columns.Add(new DoubleDataFrameColumn(ColumnNames[j], Enumerable.Range(0, RowNames.Count).Select(i => Values[i, j])));
        return new DataFrame(columns);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        throw new ArgumentOutOfRangeException(nameof(name), $"Layer '{name}' is not in this comparison. It has: {string.Join(", ", names)}.");
    }
}
