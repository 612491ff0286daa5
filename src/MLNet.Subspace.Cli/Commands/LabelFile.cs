using MLNet.Subspace.Data;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>The <c>--y</c> label files of <c>ssc</c> and <c>modularity</c>.</summary>
internal static class LabelFile
{
    /// <summary>
    /// Reads the labels and renumbers them 0..k-1 in ascending order of value: the labels name a partition, so any
    /// values (negative, or sparse like {0, 1000000}) give the same metrics and modularity, and no count table is sized
    /// by the largest value.
    /// </summary>
    public static int[] Read(string path, int rows)
    {
        int[] labels = CsvMatrix.ReadLabels(path, rows);
        var index = labels.Distinct().Order().Select((value, i) => (value, i)).ToDictionary(p => p.value, p => p.i);
        return labels.Select(l => index[l]).ToArray();
    }
}
