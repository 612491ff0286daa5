using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;

namespace MLNet.Subspace.Tests.Cluster;

/// <summary>Two <c>subspace worker</c> processes on loopback and this test as the client; one worker is killed with SIGKILL while
/// it executes a unit.</summary>
[Trait("Category", "Slow")]
public partial class WorkerProcessTests
{
    private static string Tool => TestPaths.BuiltAssembly(Path.Combine("src", "MLNet.Subspace.Cli"), "subspace");

    [Fact]
    public async Task Killing_One_Of_Two_Workers_Mid_Run_Loses_No_Unit_And_Gives_The_Local_Bytes()
    {
        using var temp = new TempFolder();
        string shared = temp.File("shared"), local = temp.File("local");
        var ssc = new SscOptions { Solver = SscSolver.Admm };
        var units = ClusterUnitRunnerTests.WriteLayers(shared, layers: 10, n: 400, d: 80, ssc);
        var localUnits = ClusterUnitRunnerTests.WriteLayers(local, layers: 10, n: 400, d: 80, ssc);
        int[] ports = FreePorts(4);
        string config = temp.File("cluster.json");
        File.WriteAllText(config, $$"""
            {
              "Orleans": {
                "ClusterId": "kill-test-{{Guid.NewGuid():N}}",
                "Clustering": { "ProviderType": "Development", "PrimarySiloEndPoint": "127.0.0.1:{{ports[0]}}", "Gateways": [ "127.0.0.1:{{ports[2]}}", "127.0.0.1:{{ports[3]}}" ] },
                "Membership": { "ProbeTimeout": "00:00:01", "NumMissedProbesLimit": 2, "NumVotesForDeathDeclaration": 1 }
              }
            }
            """);
        using var primary = Worker.Start(config, shared, ports[0], ports[2]);
        string primaryName = await primary.Ready();
        using var victim = Worker.Start(config, shared, ports[1], ports[3]);
        string victimName = await victim.Ready();

        using var client = await SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(config));
        var run = new ClusterUnitRunner(SubspaceCluster.Client(client), shared).RunAsync(units);
        string killedUnit = await victim.FirstStartedUnit().WaitAsync(TimeSpan.FromMinutes(2));
        victim.Kill();
        var receipts = await run.WaitAsync(TimeSpan.FromMinutes(3));

        await new LocalUnitRunner(local).RunAsync(localUnits);
        Assert.Equal(units.Select(u => u.Id), receipts.Select(r => r.UnitId));
        Assert.Equal(primaryName, receipts.Single(r => r.UnitId == killedUnit).Worker); // the unit in flight on the killed worker was redone
        Assert.All(receipts, r => Assert.Contains(r.Worker, new[] { primaryName, victimName }));
        foreach (var unit in units)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, unit.ResultPath)), File.ReadAllBytes(Path.Combine(shared, unit.ResultPath)));
            Assert.Equal(unit.LoadReceipt(shared), receipts.Single(r => r.UnitId == unit.Id)); // one receipt per unit, the one on disk
        }
        Assert.Equal(units.Count, Directory.GetFiles(Path.Combine(shared, "units"), "*.graph").Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(shared, "units"), "*.tmp")); // the killed worker's half-written file never became a result
    }

    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    [GeneratedRegex(@"^worker (\S+) ready")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"unit (graph-[0-9a-f]+) \(\S+\) started")]
    private static partial Regex StartedLine();

    /// <summary>A <c>subspace worker</c> process and the lines it printed.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        private Worker(Process process) => _process = process;

        public static Worker Start(string config, string shared, int siloPort, int gatewayPort)
        {
            var process = new Process
            {
                StartInfo = new ProcessStartInfo("dotnet", $"\"{Tool}\" worker --cluster \"{config}\" --shared \"{shared}\" --silo-port {siloPort} --gateway-port {gatewayPort}")
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                },
            };
            var worker = new Worker(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (worker._lines) worker._lines.Add(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (worker._lines) worker._lines.Add(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public Task<string> Ready() => Await(ReadyLine(), TimeSpan.FromMinutes(2));

        public Task<string> FirstStartedUnit() => Await(StartedLine(), TimeSpan.FromMinutes(2));

        private async Task<string> Await(Regex pattern, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                lock (_lines)
                    foreach (var line in _lines)
                        if (pattern.Match(line) is { Success: true } match) return match.Groups[1].Value;
                Assert.False(_process.HasExited, $"the worker exited: {string.Join("\n", _lines)}");
                await Task.Delay(10);
            }
            throw new TimeoutException($"No line matching {pattern} within {timeout}: {string.Join("\n", _lines)}");
        }

        public void Kill()
        {
            _process.Kill(); // SIGKILL on Unix: no shutdown, no flush
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited) Kill();
            _process.Dispose();
        }
    }
}
