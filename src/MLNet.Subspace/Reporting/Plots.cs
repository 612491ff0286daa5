using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLNet.Subspace.Reporting;

/// <summary>The plots the reports use, as OxyPlot models, and their SVG text.</summary>
/// <remarks>OxyPlot.Core has no native dependency, so plotting never conflicts with ML.NET's SkiaSharp.</remarks>
public static class Plots
{
    /// <summary>ColorBrewer's 9-class YlGnBu, light (low) to dark (high), interpolated to 256 steps.</summary>
    public static OxyPalette YlGnBu { get; } = OxyPalette.Interpolate(256,
        OxyColor.Parse("#ffffd9"), OxyColor.Parse("#edf8b1"), OxyColor.Parse("#c7e9b4"), OxyColor.Parse("#7fcdbb"), OxyColor.Parse("#41b6c4"),
        OxyColor.Parse("#1d91c0"), OxyColor.Parse("#225ea8"), OxyColor.Parse("#253494"), OxyColor.Parse("#081d58"));

    /// <summary>A categorical palette for classes (Tableau 10).</summary>
    public static IReadOnlyList<OxyColor> Categorical { get; } =
        new[] { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" }
        .Select(OxyColor.Parse).ToArray();

    /// <summary>
    /// A square heatmap of an L x L matrix in YlGnBu with row/column 0 at the top-left, the layout of
    /// the paper's SSC-CKA figures.
    /// </summary>
    /// <param name="title">Plot title.</param>
    /// <param name="values">values[i, j] is drawn in row i (from the top), column j.</param>
    /// <param name="labels">Optional tick labels (one per row); default 0..L-1.</param>
    /// <param name="minimum">Colour scale minimum (default 0).</param>
    /// <param name="maximum">Colour scale maximum (default 1).</param>
    public static PlotModel Heatmap(string title, double[,] values, IReadOnlyList<string>? labels = null, double minimum = 0, double maximum = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (labels is not null && labels.Count != rows)
            throw new ArgumentException($"Expected {rows} labels (one per row). Got {labels.Count} instead.", nameof(labels));
        var model = NewModel(title);
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.Right, Palette = YlGnBu, Minimum = minimum, Maximum = maximum, HighColor = YlGnBu.Colors[^1], LowColor = YlGnBu.Colors[0] });
        // HeatMapSeries indexes Data[x, y]; x = column, y = row, and the y axis runs top-down.
        var data = new double[cols, rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) data[j, i] = values[i, j];
        string Label(double v)
        {
            int k = (int)Math.Round(v);
            if (k < 0 || k >= rows || Math.Abs(v - k) > 1e-9) return "";
            return labels?[k] ?? k.ToString(CultureInfo.InvariantCulture);
        }
        int step = Math.Max(1, rows / 12);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Minimum = -0.5, Maximum = cols - 0.5, MajorStep = step, MinorStep = step, LabelFormatter = Label, Title = "layer" });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Minimum = -0.5, Maximum = rows - 0.5, StartPosition = 1, EndPosition = 0, MajorStep = step, MinorStep = step, LabelFormatter = Label, Title = "layer", AxisTitleDistance = 8 });
        model.Series.Add(new HeatMapSeries { X0 = 0, X1 = cols - 1, Y0 = 0, Y1 = rows - 1, Data = data, Interpolate = false, RenderMethod = HeatMapRenderMethod.Rectangles });
        return model;
    }

    /// <summary>A line chart, one line per series, with markers.</summary>
    /// <param name="title">Plot title.</param>
    /// <param name="xTitle">X-axis title.</param>
    /// <param name="yTitle">Y-axis title.</param>
    /// <param name="series">The lines.</param>
    /// <param name="integerX">Whether x takes whole numbers only (layer indices, epochs): ticks then fall on them.</param>
    public static PlotModel Lines(string title, string xTitle, string yTitle, IEnumerable<LineSeriesData> series, bool integerX = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var model = NewModel(title);
        model.Axes.Add(integerX
            ? new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, MinimumMajorStep = 1, MinimumMinorStep = 1, StringFormat = "0" }
            : new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle, AxisTitleDistance = 8 });
        model.Legends.Add(NewLegend());
        int index = 0;
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values.", nameof(series));
            var line = new LineSeries { Title = s.Name, MarkerType = MarkerType.Circle, MarkerSize = 2.5, Color = Categorical[index++ % Categorical.Count] };
            for (int i = 0; i < s.X.Count; i++) line.Points.Add(double.IsFinite(s.Y[i]) ? new DataPoint(s.X[i], s.Y[i]) : DataPoint.Undefined);
            model.Series.Add(line);
        }
        return model;
    }

    /// <summary>A 2-D scatter plot coloured by class.</summary>
    /// <param name="title">Plot title.</param>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates.</param>
    /// <param name="classes">Class index of each point.</param>
    /// <param name="classNames">Legend names, index = class.</param>
    public static PlotModel Scatter(string title, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> classes, IReadOnlyList<string> classNames)
    {
        if (x.Count != y.Count || x.Count != classes.Count)
            throw new ArgumentException($"Scatter needs as many x ({x.Count}), y ({y.Count}) and class ({classes.Count}) values.");
        var model = NewModel(title);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "component 1" });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "component 2", AxisTitleDistance = 8 });
        model.Legends.Add(NewLegend());
        for (int c = 0; c < classNames.Count; c++)
        {
            var series = new ScatterSeries { Title = classNames[c], MarkerType = MarkerType.Circle, MarkerSize = 2, MarkerFill = Categorical[c % Categorical.Count] };
            for (int i = 0; i < x.Count; i++)
                if (classes[i] == c) series.Points.Add(new ScatterPoint(x[i], y[i]));
            model.Series.Add(series);
        }
        return model;
    }

    private static PlotModel NewModel(string title) => new() { Title = title, DefaultFont = "Arial" };

    // Below the plot, in rows: the plot keeps its full width whatever the number of series.
    private static OxyPlot.Legends.Legend NewLegend() => new()
    {
        LegendPosition = OxyPlot.Legends.LegendPosition.BottomCenter,
        LegendPlacement = OxyPlot.Legends.LegendPlacement.Outside,
        LegendOrientation = OxyPlot.Legends.LegendOrientation.Horizontal,
    };

    /// <summary>The plot as an SVG fragment for inlining in HTML (no XML declaration).</summary>
    /// <param name="model">The plot.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static string ToSvg(PlotModel model, double width = 640, double height = 480)
    {
        ArgumentNullException.ThrowIfNull(model);
        string svg = Exporter(width, height, isDocument: false).ExportToString(model);
        // The exporter writes an XML declaration even for fragments; HTML does not want one.
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }

    private static SvgExporter Exporter(double width, double height, bool isDocument)
        => new() { Width = width, Height = height, IsDocument = isDocument, TextMeasurer = new WideTextMeasurer(width, height) };

    /// <summary>
    /// OxyPlot's measurer with 30 % wider text: it measured legend entries and tick labels narrower than
    /// browsers draw them (Arial / Liberation Sans), so entries overlapped and the last one was clipped.
    /// </summary>
    private sealed class WideTextMeasurer(double width, double height) : PdfRenderContext(width, height, OxyColors.White)
    {
        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            var size = base.MeasureText(text, fontFamily, fontSize, fontWeight);
            return new OxySize(size.Width * 1.3, size.Height);
        }
    }

    /// <summary>Writes the plot as a standalone SVG file, atomically.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="model">The plot.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static void SaveSvg(string path, PlotModel model, double width = 640, double height = 480)
    {
        ArgumentNullException.ThrowIfNull(model);
        IO.AtomicFile.Write(path, stream => Exporter(width, height, isDocument: true).Export(model, stream));
    }
}
