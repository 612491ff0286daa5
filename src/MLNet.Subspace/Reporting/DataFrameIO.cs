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
        if (new FileInfo(path).Length == 0) throw new InvalidDataException($"{path} is empty; it should hold a table with a header line.");
        try
        {
            var guessed = DataFrame.LoadCsv(path, cultureInfo: CultureInfo.InvariantCulture);
            var types = guessed.Columns.Select(c => c.DataType == typeof(float) ? typeof(double) : c.DataType).ToArray();
            return DataFrame.LoadCsv(path, dataTypes: types, cultureInfo: CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path} is not a readable CSV table ({e.Message.Split(" (Parameter")[0]}).", e);
        }
    }
}
