using System.Globalization;
using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Reporting;

/// <summary>Saves DataFrames the way every report table is saved: CSV, invariant culture, atomically.</summary>
public static class DataFrameIO
{
    /// <summary>Writes <paramref name="frame"/> as CSV with a header row, invariant culture, to a temporary name and then renames it.</summary>
    /// <param name="frame">The table.</param>
    /// <param name="path">The destination.</param>
    public static void SaveCsv(DataFrame frame, string path)
    {
        ArgumentNullException.ThrowIfNull(frame);
        IO.AtomicFile.Write(path, stream => DataFrame.SaveCsv(frame, stream, cultureInfo: CultureInfo.InvariantCulture));
    }

    /// <summary>Reads a CSV written by <see cref="SaveCsv"/>; decimal columns come back as double, not the float DataFrame would guess.</summary>
    /// <param name="path">The file.</param>
    public static DataFrame LoadCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Table not found: {path}", path);
        var guessed = DataFrame.LoadCsv(path, cultureInfo: CultureInfo.InvariantCulture);
        var types = guessed.Columns.Select(c => c.DataType == typeof(float) ? typeof(double) : c.DataType).ToArray();
        return DataFrame.LoadCsv(path, dataTypes: types, cultureInfo: CultureInfo.InvariantCulture);
    }

    /// <summary>A square matrix as a DataFrame: first column <c>layer</c> with the names, then one column per name.</summary>
    /// <param name="names">Row and column names.</param>
    /// <param name="values">The matrix.</param>
    public static DataFrame SquareMatrix(IReadOnlyList<string> names, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        int n = names.Count;
        if (values.GetLength(0) != n || values.GetLength(1) != n)
            throw new ArgumentException($"Expected a {n}x{n} matrix for {n} names. Got {values.GetLength(0)}x{values.GetLength(1)} instead.", nameof(values));
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("layer", names) };
        for (int j = 0; j < n; j++) columns.Add(new DoubleDataFrameColumn(names[j], Enumerable.Range(0, n).Select(i => values[i, j])));
        return new DataFrame(columns);
    }
}
