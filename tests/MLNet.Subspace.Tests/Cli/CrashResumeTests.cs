using System.Diagnostics;
using MLNet.Subspace.Tests.Pipeline;

namespace MLNet.Subspace.Tests.Cli;

/// <summary>kill -9 in the middle of a run, then the same command again: the result is the uninterrupted run's, byte for byte.</summary>
public class CrashResumeTests
{
    private static string Tool => TestPaths.BuiltAssembly(Path.Combine("src", "MLNet.Subspace.Cli"), "subspace");

    private static (int ExitCode, string Output) Run(string arguments, string folder)
        => ProcessRunner.Run("dotnet", $"\"{Tool}\" {arguments}", folder, TimeSpan.FromMinutes(5));

    /// <summary>Starts the command, waits until <paramref name="killWhen"/> holds, then kills the process tree with SIGKILL.</summary>
    private static void RunAndKill(string arguments, string folder, Func<bool> killWhen, Func<bool> finished)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{Tool}\" {arguments}")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!killWhen())
        {
            Assert.False(process.HasExited, $"'{arguments}' exited (code {(process.HasExited ? process.ExitCode : 0)}) before the moment to kill it came.");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), "the moment to kill never came");
            Thread.Sleep(10);
        }
        process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flush
        process.WaitForExit();
        Assert.False(finished(), "the run finished before it was killed, so nothing was interrupted");
    }

    [Fact]
    public void Training_Killed_After_An_Epoch_Resumes_To_The_Uninterrupted_Snapshots()
    {
        using var temp = new TempFolder();
        const string args = "train --model smallcnn-2-8 --epochs 3 --fraction 0.02 --seed 5 --out";
        string whole = temp.File("whole"), killed = temp.File("killed");

        Assert.Equal(0, Run($"{args} \"{whole}\"", temp.Path).ExitCode);
        RunAndKill($"{args} \"{killed}\"", temp.Path, () => File.Exists(Path.Combine(killed, "epoch-001.json")), () => File.Exists(Path.Combine(killed, "epoch-003.json")));
        var resumed = Run($"{args} \"{killed}\"", temp.Path);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        foreach (string name in new[] { "epoch-001.pt", "epoch-002.pt", "epoch-003.pt", "epoch-003.optim.pt" })
            Assert.True(File.ReadAllBytes(Path.Combine(whole, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(killed, name))), $"{name} differs from the uninterrupted run");
        Assert.Empty(Directory.GetFiles(killed, "*.tmp*")); // nothing half-written left behind
    }

    [Fact]
    public void A_Demo_Killed_While_Building_Graphs_Resumes_To_The_Uninterrupted_Results()
    {
        using var temp = new TempFolder();
        const string args = "demo --model smallcnn-2-8 --epochs 2 --fraction 0.02 --probes-per-class 6 --solver omp --seed 5 --out";
        string whole = temp.File("whole"), killed = temp.File("killed");

        Assert.Equal(0, Run($"{args} \"{whole}\"", temp.Path).ExitCode);
        string firstEpochGraphs = Path.Combine(killed, "graphs", "epoch-001");
        RunAndKill($"{args} \"{killed}\"", temp.Path, () => Directory.Exists(firstEpochGraphs) && Directory.GetFiles(firstEpochGraphs).Length > 0,
            () => File.Exists(Path.Combine(killed, "report.html")));
        var resumed = Run($"{args} \"{killed}\"", temp.Path);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        ReproducibilityTests.AssertSameTables(whole, killed, "from the uninterrupted run");
    }
}
