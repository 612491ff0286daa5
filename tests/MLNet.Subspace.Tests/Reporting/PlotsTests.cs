using System.Globalization;
using System.Text.RegularExpressions;
using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Tests.Reporting;

public partial class PlotsTests
{
    [Fact]
    public void Heatmap_Puts_Layer_Zero_At_The_Top_Left_In_The_Darkest_YlGnBu()
    {
        var m = new double[3, 3];
        m[0, 0] = 1;

        string svg = Plots.ToSvg(Plots.Heatmap("SSC-CKA", m), 300, 300);

        var cells = Cell().Matches(svg).Select(c => (X: Num(c.Groups[1].Value), Y: Num(c.Groups[2].Value), Fill: c.Groups[3].Value)).ToList();
        Assert.Equal(9, cells.Count);
        var darkest = Assert.Single(cells, c => c.Fill == "8,29,88");                      // #081d58, YlGnBu's top colour
        Assert.Equal(cells.Min(c => c.X), darkest.X);
        Assert.Equal(cells.Min(c => c.Y), darkest.Y);
        Assert.Equal(8, cells.Count(c => c.Fill == "255,255,217"));                        // #ffffd9, YlGnBu's bottom colour
        Assert.StartsWith("<svg", svg);
    }

    [Fact]
    public void Heatmap_Rejects_Labels_Of_The_Wrong_Count()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.Heatmap("x", new double[2, 2], ["only one"]));

        Assert.Contains("Expected 2 labels", e.Message);
    }

    [Fact]
    public void Lines_And_Scatter_Render_Their_Series_Names()
    {
        var lines = Plots.ToSvg(Plots.Lines("modularity", "epoch", "Q", [new LineSeriesData("conv<1>", [0, 1, 2], [0.1, double.NaN, 0.3])]));
        var scatter = Plots.ToSvg(Plots.Scatter("embedding", [0, 1, 2], [1, 0, 1], [0, 1, 1], ["cat", "dog"]));

        Assert.Contains("conv&lt;1&gt;", lines);
        Assert.Contains(">dog<", scatter);
    }

    [Fact]
    public void SaveSvg_Writes_A_Standalone_Document_Atomically()
    {
        using var temp = new TempFolder();

        Plots.SaveSvg(temp.File("h.svg"), Plots.Heatmap("h", new double[2, 2]));

        Assert.Contains("<svg", File.ReadAllText(temp.File("h.svg")));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    private static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex("<rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"(?!5\")[0-9.]+\" height=\"[0-9.]+\" style=\"fill:rgb\\(([0-9,]+)\\)")]
    private static partial Regex Cell();
}
