using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Tests.Reporting;

public class RunFolderTests
{
    private static RunManifest Manifest(string epochs = "3") => new()
    {
        Command = "demo",
        Seed = 1,
        Inputs = new Dictionary<string, string> { ["data"] = "/usr/share/datasets/fashion-mnist" },
        Options = new Dictionary<string, string> { ["epochs"] = epochs },
    };

    [Fact]
    public void Reopening_Resumes_And_Skips_Finished_Steps()
    {
        using var temp = new TempFolder();
        int computed = 0;
        int Step(RunFolder run) => run.Step("train", () => ++computed * 10,
            v => File.WriteAllText(run.PathOf("train.txt"), v.ToString()), () => int.Parse(File.ReadAllText(run.PathOf("train.txt"))));

        var first = RunFolder.Open(temp.Path, Manifest());
        Assert.Equal(10, Step(first));
        var second = RunFolder.Open(temp.Path, Manifest());

        Assert.Equal(10, Step(second));
        Assert.Equal(1, computed);
        Assert.Contains("train", second.CompletedSteps);
        Assert.Contains("\"TorchSharp\"", File.ReadAllText(Path.Combine(temp.Path, "manifest.json")));
    }

    [Fact]
    public void A_Failed_Step_Is_Not_Marked_Done()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Manifest());

        Assert.Throws<InvalidOperationException>(() => run.Step<int>("analyse", () => throw new InvalidOperationException("boom"), _ => { }, () => 0));

        Assert.False(RunFolder.Open(temp.Path, Manifest()).IsDone("analyse"));
    }

    [Fact]
    public void A_Folder_Holding_Another_Run_Is_Refused_With_What_Differs()
    {
        using var temp = new TempFolder();
        RunFolder.Open(temp.Path, Manifest("3"));

        var e = Assert.Throws<IOException>(() => RunFolder.Open(temp.Path, Manifest("5")));

        Assert.Contains("epochs=3", e.Message);
        Assert.Contains("new output folder", e.Message);
    }

    [Fact]
    public void An_Unwritable_Output_Folder_Is_Named()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("a-file"), "");
        string impossible = Path.Combine(temp.File("a-file"), "run");

        var e = Assert.Throws<IOException>(() => RunFolder.Open(impossible, Manifest()));

        Assert.Contains(impossible, e.Message);
        Assert.Contains("not writable", e.Message);
    }

    [Fact]
    public void Paths_Cannot_Escape_The_Run_Folder()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Manifest());

        Assert.Throws<ArgumentException>(() => run.PathOf("../outside.txt"));
    }
}
