using MLNet.Subspace.Analysis;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Buffers.Binary;
using Microsoft.Data.Analysis;
using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Tests.Reporting;

public class HtmlReportTests
{
    [Fact]
    public void Every_Figure_On_A_Page_Has_Its_Own_Clip_Paths()
    {
        // Figures share the page's id space: each must reference only clip paths it defines itself, whether it
        // comes from a plot model or from an SVG file written earlier (as the comparison report inlines heatmaps).
        using var temp = new TempFolder();
        Plots.SaveSvg(temp.File("b.svg"), Plots.Lines("b", "epoch", "Q", [new LineSeriesData("y", [1, 2], [0.3, 0.1])]));
        Plots.SaveSvg(temp.File("c.svg"), Plots.Heatmap("c", new double[2, 2]));
        string html = new HtmlReport("r")
            .Figure(Plots.Lines("a", "epoch", "Q", [new LineSeriesData("x", [1, 2], [0.1, 0.2])], integerX: true), "a")
            .Figure(File.ReadAllText(temp.File("b.svg")), "b")
            .Figure(File.ReadAllText(temp.File("c.svg")), "c")
            .Render();

        var figures = Regex.Matches(html, "<figure.*?</figure>", RegexOptions.Singleline).Select(m => m.Value).ToArray();
        string[] Ids(string svg) => Regex.Matches(svg, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        string[] References(string svg) => Regex.Matches(svg, "url\\(#([^)]+)\\)").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.Equal(3, figures.Length);
        Assert.All(figures, f => Assert.NotEmpty(References(f)));
        var ids = figures.SelectMany(Ids).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(figures, f => Assert.All(References(f), r => Assert.Contains(r, Ids(f))));
    }

    [Fact]
    public void All_Text_Is_Escaped_And_Nothing_External_Is_Referenced()
    {
        var frame = new DataFrame(new StringDataFrameColumn("layer", ["<script>alert(1)</script>"]), new DoubleDataFrameColumn("Q", [0.123456]));
        var report = new HtmlReport("Report <b>")
            .Section("A & B")
            .Paragraph("x < y")
            .Table(frame, "caption \"q\"")
            .Figure(Plots.Heatmap("h", new double[2, 2]), "fig <i>")
            .Gallery("g", [new GalleryItem(PngImage.DataUri(new float[4], 1, 2, 2), ["label <x>"], Highlight: true)]);

        string html = report.Render();

        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("Report &lt;b&gt;", html);
        Assert.Contains("A &amp; B", html);
        Assert.Contains("0.1235", html);
        Assert.Contains("label &lt;x&gt;", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.Equal(1, CountOf(html, "<svg"));
        Assert.Equal(1, CountOf(html, "<table>"));
    }

    [Fact]
    public void Gallery_Refuses_Images_That_Are_Not_Inline()
    {
        var report = new HtmlReport("r");

        Assert.Throws<ArgumentException>(() => report.Gallery("g", [new GalleryItem("http://example/x.png", [])]));
    }

    [Fact]
    public void Long_Tables_Are_Cut_With_A_Note()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("i", Enumerable.Range(0, 10)));

        string html = new HtmlReport("r").Table(frame, "t", maxRows: 3).Render();

        Assert.Equal(3, CountOf(html, "<tr><td>"));
        Assert.Contains("(7 more rows in the CSV file.)", html);
    }

    [Fact]
    public void Tables_Longer_Than_The_Limit_Start_Collapsed_And_Short_Ones_Do_Not()
    {
        var rows = HtmlReport.CollapseAbove + 1;
        string longTable = new HtmlReport("r").Table(new DataFrame(new Int32DataFrameColumn("i", Enumerable.Range(0, rows))), "neighbours").Render();
        string shortTable = new HtmlReport("r").Table(new DataFrame(new Int32DataFrameColumn("i", Enumerable.Range(0, HtmlReport.CollapseAbove))), "layers").Render();

        Assert.Contains($"<details><summary>neighbours ({rows} rows)</summary>", longTable);
        Assert.Equal(rows, CountOf(longTable, "<tr><td>")); // collapsed, not cut
        Assert.DoesNotContain("<details>", shortTable);
    }

    [Fact]
    public void Png_Has_Valid_Chunks_And_Decodes_To_The_Pixels()
    {
        float[] rgb = [1, 0, 0, 0.5f, /* G */ 0, 1, 0, 0.5f, /* B */ 0, 0, 1, 0.5f];

        byte[] png = PngImage.Encode(rgb, 3, 2, 2);

        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));      // IHDR width
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));      // IHDR height
        Assert.Equal([0xAE, 0x42, 0x60, 0x82], png[^4..]);                          // the well-known CRC of an empty IEND chunk
        int idatLength = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
        using var z = new ZLibStream(new MemoryStream(png, 41, idatLength), CompressionMode.Decompress);
        var raw = new byte[14];
        z.ReadExactly(raw);
        // Each scanline: filter byte 0, then RGB triples: red, green / blue, grey 0.5 (rounded to 128).
        Assert.Equal([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 128, 128, 128], raw);
    }

    [Fact]
    public void DataFrame_Csv_Round_Trips_With_Invariant_Numbers()
    {
        using var temp = new TempFolder();
        var frame = SquareMatrixTable.Create(["conv1", "conv2"], new[,] { { 1.0, 0.25 }, { 0.25, 1.0 } });

        DataFrameIO.SaveCsv(frame, temp.File("cka.csv"));

        Assert.Equal("layer,conv1,conv2", File.ReadLines(temp.File("cka.csv")).First());
        Assert.Contains("conv2,0.25,1", File.ReadAllText(temp.File("cka.csv")));
        var back = DataFrameIO.LoadCsv(temp.File("cka.csv"));
        Assert.Equal(0.25, Convert.ToDouble(back["conv2"][0]));
    }

    private static int CountOf(string s, string what) => (s.Length - s.Replace(what, "").Length) / what.Length;
}

public class HtmlReportInBrowserTests
{
    [Fact]
    public void Chromium_Parses_The_Report_With_Its_Heatmap_Table_And_Gallery()
    {
        using var temp = new TempFolder();
        var m = new double[4, 4];
        for (int i = 0; i < 4; i++) m[i, i] = 1;
        new HtmlReport("browser check")
            .Section("Heatmap").Figure(Plots.Heatmap("SSC-CKA", m), "layers")
            .Section("Table").Table(SquareMatrixTable.Create(["a", "b", "c", "d"], m), "cka")
            .Gallery("neighbours", [new GalleryItem(PngImage.DataUri(new float[28 * 28], 1, 28, 28), ["query"], Highlight: true)])
            .Save(temp.File("report.html"));

        string dom = HeadlessChromium.DumpDom(temp.File("report.html"));

        Assert.Contains("<svg", dom);
        Assert.Contains("fill:rgb(8,29,88)", dom);             // the diagonal in YlGnBu's darkest colour
        Assert.Contains("<table>", dom);
        Assert.Contains("<img alt=\"\" src=\"data:image/png;base64,", dom);
        Assert.Contains("<h2 id=\"s2\">Table</h2>", dom);
    }
}

public class DataFrameTextTests
{
    [Fact]
    public void Columns_Are_Aligned_And_Numbers_Rounded_To_Four_Significant_Digits()
    {
        var frame = new Microsoft.Data.Analysis.DataFrame(
            new Microsoft.Data.Analysis.StringDataFrameColumn("layer", ["features.0.conv", "fc"]),
            new Microsoft.Data.Analysis.DoubleDataFrameColumn("modularity", [0.123456789, 12.3456789]),
            new Microsoft.Data.Analysis.Int32DataFrameColumn("n", [500, 7]));

        var lines = frame.ToText(maxRows: 1).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["          layer  modularity    n", "features.0.conv      0.1235  500", "(1 more rows)"], lines);
    }
}
