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

        using (var first = RunFolder.Open(temp.Path, Manifest()))
            Assert.Equal(10, Step(first));
        using var second = RunFolder.Open(temp.Path, Manifest());

        Assert.Equal(10, Step(second));
        Assert.Equal(1, computed);
        Assert.Contains("train", second.CompletedSteps);
        Assert.Contains("\"TorchSharp\"", File.ReadAllText(Path.Combine(temp.Path, "manifest.json")));
    }

    [Fact]
    public void A_Failed_Step_Is_Not_Marked_Done()
    {
        using var temp = new TempFolder();
        using (var run = RunFolder.Open(temp.Path, Manifest()))
            Assert.Throws<InvalidOperationException>(() => run.Step<int>("analyse", () => throw new InvalidOperationException("boom"), _ => { }, () => 0));

        using var again = RunFolder.Open(temp.Path, Manifest());
        Assert.False(again.IsDone("analyse"));
    }

    [Fact]
    public void A_Folder_Holding_Another_Run_Is_Refused_With_What_Differs()
    {
        using var temp = new TempFolder();
        RunFolder.Open(temp.Path, Manifest("3")).Dispose();
        File.Delete(Path.Combine(temp.Path, ".lock")); // as a folder written before locks existed
        var before = Directory.GetFiles(temp.Path).Order().ToArray();

        var e = Assert.Throws<IOException>(() => RunFolder.Open(temp.Path, Manifest("5")));

        Assert.Equal(before, Directory.GetFiles(temp.Path).Order().ToArray()); // refused before the lock is taken: nothing new
        Assert.Contains("epochs=3", e.Message);
        Assert.Contains("option 'epochs': 3 in the folder vs 5 now", e.Message);
        Assert.Contains("new output folder", e.Message);
    }

    [Fact]
    public void A_Second_Run_Into_A_Folder_In_Use_Is_Refused_Until_The_First_Ends()
    {
        using var temp = new TempFolder();
        var first = RunFolder.Open(temp.Path, Manifest());

        var e = Assert.Throws<IOException>(() => RunFolder.Open(temp.Path, Manifest()));

        Assert.Contains($"{Path.GetFullPath(temp.Path)} is in use by another run", e.Message);
        Assert.Contains(".lock", e.Message);
        first.Dispose();
        using var second = RunFolder.Open(temp.Path, Manifest()); // free again once the first run ends
        Assert.Equal(Path.GetFullPath(temp.Path), second.Path);
    }

    [Fact]
    public void A_Run_In_Another_Process_Holds_The_Folder()
    {
        using var temp = new TempFolder();
        var first = RunFolder.Open(temp.Path, Manifest());

        // flock(1) takes the same kind of lock as .NET's FileShare.None on Linux; -n: fail instead of waiting.
        var (code, output) = ProcessRunner.Run("flock", $"-n \"{Path.Combine(temp.Path, ".lock")}\" true", temp.Path, TimeSpan.FromSeconds(30));

        Assert.True(code != 0, $"another process took the lock of a folder in use: {output}");
        first.Dispose();
        var (free, freeOutput) = ProcessRunner.Run("flock", $"-n \"{Path.Combine(temp.Path, ".lock")}\" true", temp.Path, TimeSpan.FromSeconds(30));
        Assert.True(free == 0, $"the lock outlived the run: {freeOutput}");
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
        using var run = RunFolder.Open(temp.Path, Manifest());

        Assert.Throws<ArgumentException>(() => run.PathOf("../outside.txt"));
    }
}
