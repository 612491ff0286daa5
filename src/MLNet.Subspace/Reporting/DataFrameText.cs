using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Reporting;

/// <summary>
/// DataFrames as readable text: a DataFrame's own <c>ToString()</c> prints every double in full and runs neighbouring
/// columns together; this pads each column to its widest cell and shows numbers to 4 significant digits, as the report does.
/// </summary>
public static class DataFrameText
{
    /// <summary>The table as aligned text: a header row, then up to <paramref name="maxRows"/> rows (a last line says how many more).</summary>
    /// <param name="frame">The table.</param>
    /// <param name="maxRows">Rows shown at most.</param>
    public static string ToText(this DataFrame frame, int maxRows = 20)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        long shown = Math.Min(frame.Rows.Count, maxRows);
        var cells = frame.Columns.Select(c => new[] { c.Name }.Concat(Enumerable.Range(0, (int)shown).Select(r => Format(c[r]))).ToArray()).ToArray();
        var widths = cells.Select(column => column.Max(v => v.Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r <= shown; r++)
            text.AppendLine(string.Join("  ", cells.Select((column, c) => column[r].PadLeft(widths[c]))).TrimEnd());
        if (frame.Rows.Count > shown) text.AppendLine(FormattableString.Invariant($"({frame.Rows.Count - shown} more rows)"));
        return text.ToString();
    }

    /// <summary>One cell as the report and <see cref="ToText"/> show it: numbers to 4 significant digits, invariant culture.</summary>
    internal static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
