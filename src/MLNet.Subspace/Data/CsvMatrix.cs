using System.Globalization;
using System.Text;
using MLNet.Subspace.IO;

namespace MLNet.Subspace.Data;

/// <summary>
/// Numeric CSV matrices as the reference peer writes them: one sample per row, comma-separated,
/// no header; labels one integer per line. Numbers use the invariant culture.
/// </summary>
public static class CsvMatrix
{
    /// <summary>Reads a numeric matrix.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The values row-major, with the row and column counts.</returns>
    /// <exception cref="DataFileException">A cell is not a finite number (NaN and infinities are refused), rows differ in length, or the file is empty; the message names the file and the 1-based line and column.</exception>
    public static Matrix Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV matrix not found: {path}", path);
        var values = new List<double>();
        int columns = -1, rows = 0, lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0) continue;
            string[] cells = line.Split(',');
            if (columns < 0) columns = cells.Length;
            else if (cells.Length != columns)
                throw new DataFileException(path, $"line {lineNumber}", $"expected {columns} comma-separated values (as on the first row), found {cells.Length}");
            for (int c = 0; c < cells.Length; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new DataFileException(path, $"line {lineNumber}, column {c + 1}", $"expected a number, found '{Shorten(cells[c])}'");
                if (!double.IsFinite(v))
                    throw new DataFileException(path, $"line {lineNumber}, column {c + 1}", $"expected a finite number, found '{Shorten(cells[c])}'");
                values.Add(v);
            }
            rows++;
        }
        if (rows == 0) throw new DataFileException(path, "line 1", "expected at least one row of numbers, found an empty file");
        return new Matrix(values.ToArray(), rows, columns);
    }

    /// <summary>Reads integer labels, one per line.</summary>
    /// <param name="path">The label file.</param>
    /// <param name="expectedCount">When given, the number of labels the file must hold (the matrix's rows).</param>
    /// <exception cref="DataFileException">A line is not an integer, or the count differs from <paramref name="expectedCount"/>.</exception>
    public static int[] ReadLabels(string path, int? expectedCount = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Label file not found: {path}", path);
        var labels = new List<int>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0) continue;
            // NumPy may write integral labels as "3.0"; accept those, reject real fractions.
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v != Math.Floor(v) || Math.Abs(v) > int.MaxValue)
                throw new DataFileException(path, $"line {lineNumber}", $"expected an integer label, found '{Shorten(line)}'");
            labels.Add((int)v);
        }
        if (expectedCount is int n && labels.Count != n)
            throw new DataFileException(path, $"line {lineNumber}", $"holds {labels.Count} labels but the data has {n} rows; the counts must match");
        return labels.ToArray();
    }

    /// <summary>Writes a matrix as CSV (round-trip precision, invariant culture), atomically.</summary>
    /// <param name="path">The destination; written to a temporary name first, then renamed.</param>
    /// <param name="matrix">The matrix.</param>
    public static void Write(string path, Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.WriteAllText(path, writer =>
        {
            var line = new StringBuilder();
            for (int r = 0; r < matrix.Rows; r++)
            {
                line.Clear();
                for (int c = 0; c < matrix.Columns; c++)
                {
                    if (c > 0) line.Append(',');
                    line.Append(matrix[r, c].ToString("R", CultureInfo.InvariantCulture));
                }
                writer.WriteLine(line);
            }
        });
    }

    /// <summary>Writes integer labels, one per line, atomically.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteLabels(string path, IEnumerable<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        AtomicFile.WriteAllText(path, writer =>
        {
            foreach (int y in labels) writer.WriteLine(y.ToString(CultureInfo.InvariantCulture));
        });
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
