using Microsoft.Data.Analysis;
using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Tests.Reporting;

public class ComparisonReportTests
{
    [Fact]
    public void Runs_Are_Put_Side_By_Side_From_Their_Saved_Tables()
    {
        using var temp = new TempFolder();
        string shallow = FakeRun(temp, "shallow", [0.01, 0.2]);
        string deep = FakeRun(temp, "deep", [0.0, 0.05, 0.1, 0.4]);

        var (returned, html) = ComparisonReport.Write([("shallow", shallow), ("deep", deep)], temp.File("cmp"));

        var table = DataFrameIO.LoadCsv(temp.File("cmp/comparison.csv"));
        Assert.Equal(returned["run"].Cast<string>(), table["run"].Cast<string>());
        Assert.Equal(["shallow", "deep"], table["run"].Cast<string>());
        Assert.Equal(4, Convert.ToInt32(table["layers"][1]));
        Assert.Equal(0.4, Convert.ToDouble(table["last_layer_modularity"][1]), 9);
        string page = File.ReadAllText(html);
        Assert.Equal(3, (page.Length - page.Replace("<svg", "").Length) / 4);   // depth plot + two heatmaps
        Assert.Contains("<figcaption>deep</figcaption>", page);
    }

    [Fact]
    public void A_Folder_That_Is_Not_A_Finished_Run_Is_Named()
    {
        using var temp = new TempFolder();

        var e = Assert.Throws<FileNotFoundException>(() => ComparisonReport.Write([("x", temp.Path)], temp.File("cmp")));

        Assert.Contains("Run 'x'", e.Message);
        Assert.Contains("summary.csv", e.Message);
    }

    private static string FakeRun(TempFolder temp, string name, double[] modularity)
    {
        string folder = Directory.CreateDirectory(temp.File(name)).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "figures"));
        DataFrameIO.SaveCsv(new DataFrame(new StringDataFrameColumn("title", [name]), new PrimitiveDataFrameColumn<int>("layers", [modularity.Length]),
            new PrimitiveDataFrameColumn<int>("probes", [100]), new DoubleDataFrameColumn("test_accuracy", [0.9]),
            new DoubleDataFrameColumn("first_layer_modularity", [modularity[0]]), new DoubleDataFrameColumn("last_layer_modularity", [modularity[^1]]),
            new DoubleDataFrameColumn("depth_modularity_rho", [1.0]), new PrimitiveDataFrameColumn<int>("blocks", [2]), new DoubleDataFrameColumn("block_score", [0.3]),
            new DoubleDataFrameColumn("ssc_accuracy", [0.8]), new DoubleDataFrameColumn("network_accuracy", [0.9]), new DoubleDataFrameColumn("agreement", [0.85])),
            Path.Combine(folder, "summary.csv"));
        DataFrameIO.SaveCsv(new DataFrame(new StringDataFrameColumn("layer", modularity.Select((_, i) => $"conv{i}")), new DoubleDataFrameColumn("modularity", modularity)),
            Path.Combine(folder, "layerwise.csv"));
        var m = new double[modularity.Length, modularity.Length];
        for (int i = 0; i < modularity.Length; i++) m[i, i] = 1;
        Plots.SaveSvg(Path.Combine(folder, "figures", "ssc_cka_heatmap.svg"), Plots.Heatmap(name, m));
        return folder;
    }
}
