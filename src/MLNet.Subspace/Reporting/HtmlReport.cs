using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using OxyPlot;

namespace MLNet.Subspace.Reporting;

/// <summary>
/// Builds one self-contained HTML report (inline SVG and PNG, inline CSS, no scripts, no external
/// resources, so it opens offline). Every piece of text is HTML-escaped.
/// </summary>
public sealed partial class HtmlReport
{
    private readonly StringBuilder _body = new();
    private readonly List<(string Id, string Title)> _sections = [];
    private int _figures;

    /// <summary>Starts a report.</summary>
    /// <param name="title">The page title.</param>
    public HtmlReport(string title)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        Title = title;
    }

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Starts a section (listed in the table of contents).</summary>
    /// <param name="title">Section heading.</param>
    public HtmlReport Section(string title)
    {
        string id = "s" + (_sections.Count + 1).ToString(CultureInfo.InvariantCulture);
        _sections.Add((id, title));
        _body.Append("<h2 id=\"").Append(id).Append("\">").Append(Escape(title)).AppendLine("</h2>");
        return this;
    }

    /// <summary>Adds a paragraph of text.</summary>
    /// <param name="text">The text (escaped).</param>
    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Escape(text)).AppendLine("</p>");
        return this;
    }

    /// <summary>Adds a figure rendered from an OxyPlot model as inline SVG.</summary>
    /// <param name="model">The plot.</param>
    /// <param name="caption">Caption under the figure (escaped).</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public HtmlReport Figure(PlotModel model, string caption, double width = 640, double height = 480)
    {
        return Figure(Plots.ToSvg(model, width, height), caption);
    }

    /// <summary>Adds a figure from SVG text (an SVG file written by <see cref="Plots.SaveSvg"/>), inlined.</summary>
    /// <param name="svg">The SVG document or fragment.</param>
    /// <param name="caption">Caption under the figure (escaped).</param>
    public HtmlReport Figure(string svg, string caption)
    {
        ArgumentNullException.ThrowIfNull(svg);
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0) throw new ArgumentException("The figure is not SVG (no <svg> element).", nameof(svg));
        // Every OxyPlot export numbers its clip paths from 1, and inlined SVGs share the page's id space:
        // without a per-figure prefix each figure would clip to the first one's rectangles.
        string prefix = $"f{++_figures}-";
        svg = ClipPathId().Replace(svg[start..], m => m.Value.Replace("clipPath", prefix + "clipPath", StringComparison.Ordinal));
        _body.Append("<figure class=\"plot\">").Append(svg)
             .Append("<figcaption>").Append(Escape(caption)).AppendLine("</figcaption></figure>");
        return this;
    }

    /// <summary>Tables with more rows than this start collapsed (a <c>details</c> element: no script), so long ones do not bury the page.</summary>
    public const int CollapseAbove = 20;

    /// <summary>Adds a table from a DataFrame (numbers shown to 4 significant digits); one longer than <see cref="CollapseAbove"/> rows starts collapsed.</summary>
    /// <param name="frame">The table.</param>
    /// <param name="caption">Caption above the table (escaped).</param>
    /// <param name="maxRows">Rows shown at most; a note says how many were left out.</param>
    public HtmlReport Table(DataFrame frame, string caption, int maxRows = 200)
    {
        ArgumentNullException.ThrowIfNull(frame);
        bool collapsed = frame.Rows.Count > CollapseAbove;
        if (collapsed) _body.Append("<details><summary>").Append(Escape(caption)).Append(FormattableString.Invariant($" ({frame.Rows.Count} rows)")).AppendLine("</summary>");
        _body.Append("<div class=\"wide\"><table><caption>").Append(Escape(caption)).Append("</caption><thead><tr>");
        foreach (var column in frame.Columns) _body.Append("<th>").Append(Escape(column.Name)).Append("</th>");
        _body.AppendLine("</tr></thead><tbody>");
        long shown = Math.Min(frame.Rows.Count, maxRows);
        for (long r = 0; r < shown; r++)
        {
            _body.Append("<tr>");
            foreach (var column in frame.Columns) _body.Append("<td>").Append(Escape(DataFrameText.Format(column[r]))).Append("</td>");
            _body.AppendLine("</tr>");
        }
        _body.AppendLine("</tbody></table></div>");
        if (frame.Rows.Count > shown) Paragraph($"({frame.Rows.Count - shown} more rows in the CSV file.)");
        if (collapsed) _body.AppendLine("</details>");
        return this;
    }

    /// <summary>Adds a row of images with captions.</summary>
    /// <param name="title">Gallery heading (escaped).</param>
    /// <param name="items">The tiles.</param>
    public HtmlReport Gallery(string title, IEnumerable<GalleryItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _body.Append("<div class=\"gallery\"><h3>").Append(Escape(title)).AppendLine("</h3><div class=\"tiles\">");
        foreach (var item in items)
        {
            if (!item.ImageDataUri.StartsWith("data:image/", StringComparison.Ordinal))
                throw new ArgumentException("Gallery images must be data: URIs so the report stays self-contained.", nameof(items));
            _body.Append(item.Highlight ? "<div class=\"tile query\">" : "<div class=\"tile\">")
                 .Append("<img alt=\"\" src=\"").Append(item.ImageDataUri).Append("\">");
            foreach (string line in item.Caption) _body.Append("<div>").Append(Escape(line)).Append("</div>");
            _body.AppendLine("</div>");
        }
        _body.AppendLine("</div></div>");
        return this;
    }

    /// <summary>The whole page.</summary>
    public string Render()
    {
        var page = new StringBuilder();
        page.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(Escape(Title)).AppendLine("</title>")
            .AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                + "th{background:#f0f4f8}caption{text-align:left;font-weight:600;padding:4px 0}figure.plot{display:inline-block;margin:0.5em}"
                + "figcaption{font-size:13px;color:#444}.tiles{display:flex;flex-wrap:wrap;gap:6px}.tile{font-size:11px;width:96px;border:1px solid #ddd;padding:3px}"
                + ".tile img{width:90px;height:90px;image-rendering:pixelated}.tile.query{border:2px solid #e15759}nav li{margin:2px 0}.wide{overflow-x:auto}</style>")
            .AppendLine("</head><body>")
            .Append("<h1>").Append(Escape(Title)).AppendLine("</h1>");
        if (_sections.Count > 0)
        {
            page.Append("<nav><ol>");
            foreach (var (id, title) in _sections) page.Append("<li><a href=\"#").Append(id).Append("\">").Append(Escape(title)).Append("</a></li>");
            page.AppendLine("</ol></nav>");
        }
        page.Append(_body).AppendLine("</body></html>");
        return page.ToString();
    }

    /// <summary>Writes the page atomically (temporary name, then rename).</summary>
    /// <param name="path">The destination, e.g. report.html.</param>
    public void Save(string path) => IO.AtomicFile.WriteAllText(path, writer => writer.Write(Render()));

    private static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    [System.Text.RegularExpressions.GeneratedRegex(@"id=""clipPath\d+""|url\(#clipPath\d+\)")]
    private static partial System.Text.RegularExpressions.Regex ClipPathId();
}
