using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;

namespace MLNet.Subspace.Tests.Cluster;

/// <summary>Two <c>subspace worker</c> processes on loopback and this test as the client; one worker is killed with SIGKILL while
/// it executes a unit. Under Development clustering, and under the membership providers for several machines (Redis; ADO.NET on PostgreSQL),
/// where no silo is special and the first one can die.</summary>
public partial class WorkerProcessTests
{
    private static string Tool => TestPaths.BuiltAssembly(Path.Combine("src", "MLNet.Subspace.Cli"), "subspace");

    [Fact]
    public async Task Killing_One_Of_Two_Workers_Mid_Run_Loses_No_Unit_And_Gives_The_Local_Bytes()
    {
        using var temp = new TempFolder();
        int[] ports = FreePorts(4);
        // Development clustering keeps the membership in the primary (the first silo): the second worker is the one killed.
        string clustering = $$"""{ "ProviderType": "Development", "PrimarySiloEndPoint": "127.0.0.1:{{ports[0]}}", "Gateways": [ "127.0.0.1:{{ports[2]}}", "127.0.0.1:{{ports[3]}}" ] }""";
        await KillOneWorkerMidRun(temp, clustering, ports, killFirst: false);
    }

    [Fact]
    public async Task Killing_A_Worker_While_It_Solves_A_Block_Of_Codes_Loses_No_Part_Of_A_Split_Layer()
    {
        using var temp = new TempFolder();
        int[] ports = FreePorts(4);
        string clustering = $$"""{ "ProviderType": "Development", "PrimarySiloEndPoint": "127.0.0.1:{{ports[0]}}", "Gateways": [ "127.0.0.1:{{ports[2]}}", "127.0.0.1:{{ports[3]}}" ] }""";
        await KillOneWorkerMidRun(temp, clustering, ports, killFirst: false, split: true);
    }

    [Fact]
    public async Task With_Redis_Membership_Killing_The_First_Worker_Mid_Run_Loses_No_Unit()
    {
        using var temp = new TempFolder();
        using var redis = await MembershipServer.StartRedisAsync(temp.File("redis"));
        await KillOneWorkerMidRun(temp, redis.Clustering, FreePorts(4), killFirst: true);
    }

    /// <summary>Not in the README's test command (Category Manual): Orleans' ADO.NET tables come from scripts in Orleans' repository,
    /// not in its package, and nothing may be downloaded here; run it with <see cref="MembershipServer.OrleansScriptsVariable"/> set.</summary>
    [Fact]
    [Trait("Category", "Manual")]
    public async Task With_AdoNet_PostgreSql_Membership_Killing_The_First_Worker_Mid_Run_Loses_No_Unit()
    {
        using var temp = new TempFolder();
        using var postgres = await MembershipServer.StartPostgresAsync(temp.File("postgres"));
        await KillOneWorkerMidRun(temp, postgres.Clustering, FreePorts(4), killFirst: true);
    }

    /// <summary>Needs root for the network namespaces (ip netns), as the README's test command runs here.</summary>
    [Fact]
    public async Task Two_Workers_On_Two_Hosts_Of_A_Network_With_Redis_Membership_Survive_Killing_The_First()
    {
        using var temp = new TempFolder();
        using var network = TestNetwork.Create(hosts: 2);
        using var redis = await MembershipServer.StartRedisAsync(temp.File("redis"), network.ClientAddress);
        // Each host is a machine of its own: its own address, the default ports on every host.
        await KillOneWorkerMidRun(temp, redis.Clustering, [SubspaceCluster.DefaultSiloPort, SubspaceCluster.DefaultSiloPort, SubspaceCluster.DefaultGatewayPort, SubspaceCluster.DefaultGatewayPort],
            killFirst: true, network.Hosts);
    }

    /// <summary>Two workers (silo ports 0-1, gateway ports 2-3 of <paramref name="ports"/>) under <paramref name="clustering"/>, this test
    /// as the client; the first or the second worker is killed with SIGKILL while it executes a unit. The survivor must do the rest,
    /// redo the killed unit, and every result must have the local runner's bytes. With <paramref name="hosts"/>, worker i runs in
    /// host i's network namespace and advertises its address (a configuration file per host, as on real machines). With
    /// <paramref name="split"/>, two OMP layers of N = 8,000 split into Gram rows and 3 blocks of codes each, and the worker is
    /// killed while it solves a block of codes; the layers must have the bytes of the unsplit units executed locally.</summary>
    private static async Task KillOneWorkerMidRun(TempFolder temp, string clustering, int[] ports, bool killFirst, IReadOnlyList<TestNetwork.Host>? hosts = null, bool split = false)
    {
        string shared = temp.File("shared"), local = temp.File("local");
        var ssc = new SscOptions { Solver = split ? SscSolver.Omp : SscSolver.Admm };
        // Units of a second or more, so that the unit the victim started is still in flight when the kill lands (the test
        // host's threads can lag under the suite's load).
        var (count, n, d) = split ? (2, 8_000, 32) : (8, 1_200, 80);
        var layers = ClusterUnitRunnerTests.WriteLayers(shared, count, n, d, ssc);
        var localUnits = ClusterUnitRunnerTests.WriteLayers(local, count, n, d, ssc);
        var units = LayerGraphUnit.Plan(layers, shared, split ? 3 : 1);
        string clusterId = $"kill-test-{Guid.NewGuid():N}";
        string Config(string name, string? address)
        {
            string endpoints = address is null ? "" : $$""", "Endpoints": { "AdvertisedIPAddress": "{{address}}" }""";
            File.WriteAllText(temp.File(name), $$"""
                {
                  "Orleans": {
                    "ClusterId": "{{clusterId}}",
                    "Clustering": {{clustering}},
                    "Membership": { "ProbeTimeout": "00:00:01", "NumMissedProbesLimit": 2, "NumVotesForDeathDeclaration": 1 }{{endpoints}}
                  }
                }
                """);
            return temp.File(name);
        }
        string config = Config("cluster.json", null);
        Worker Start(int w) => hosts is null
            ? Worker.Start(config, shared, ports[w], ports[2 + w])
            : Worker.Start(Config($"host{w}.json", hosts[w].Address), shared, ports[w], ports[2 + w], hosts[w].Namespace);
        using var first = Start(0);
        string firstName = await first.Ready();
        using var second = Start(1);
        string secondName = await second.Ready();
        var (victim, survivor, survivorName) = killFirst ? (first, second, secondName) : (second, first, firstName);
        if (hosts is not null) Assert.All(new[] { firstName, secondName }, (name, w) => Assert.StartsWith($"S{hosts[w].Address}:", name));

        using var client = await SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(config));
        var run = new ClusterUnitRunner(SubspaceCluster.Client(client), shared).RunAsync(units);
        await victim.FirstStartedUnit(split ? "codes-" : "graph-").WaitAsync(TimeSpan.FromMinutes(2));
        victim.Kill();
        var inFlight = victim.UnitsInFlight();
        Assert.True(inFlight.Count > 0, $"the killed worker had finished every unit it started:\n{victim.Output}");
        IReadOnlyList<UnitReceipt> receipts;
        try
        {
            receipts = await run.WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The run did not finish within 3 minutes of killing a worker; the survivor printed:\n{survivor.Output}", e);
        }

        await new LocalUnitRunner(local).RunAsync(localUnits);
        Assert.Equal(units.Select(u => u.Id), receipts.Select(r => r.UnitId));
        Assert.All(inFlight, id => Assert.Equal(survivorName, receipts.Single(r => r.UnitId == id).Worker)); // the units in flight on the killed worker were redone
        Assert.All(receipts, r => Assert.Contains(r.Worker, new[] { firstName, secondName }));
        foreach (var unit in layers)
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, unit.ResultPath)), File.ReadAllBytes(Path.Combine(shared, unit.ResultPath)));
        foreach (var unit in units) Assert.Equal(unit.LoadReceipt(shared), receipts.Single(r => r.UnitId == unit.Id)); // one receipt per unit, the one on disk
        Assert.Equal(layers.Count, Directory.GetFiles(Path.Combine(shared, "units"), "*.graph").Length);
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

    [GeneratedRegex(@"unit ((?:graph|gram|codes|cka)-[0-9a-f]+) \(.+?\) started")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"unit ((?:graph|gram|codes|cka)-[0-9a-f]+) \(.+?\) done by")]
    private static partial Regex DoneLine();

    /// <summary>A <c>subspace worker</c> process and the lines it printed.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        private Worker(Process process) => _process = process;

        /// <summary>Starts a worker; in the network namespace <paramref name="host"/> (as another machine) when given.</summary>
        public static Worker Start(string config, string shared, int siloPort, int gatewayPort, string? host = null)
        {
            string worker = $"\"{Tool}\" worker --cluster \"{config}\" --shared \"{shared}\" --silo-port {siloPort} --gateway-port {gatewayPort}";
            var process = new Process
            {
                // 'ip netns exec' execs the command in place: the process killed below is the worker itself.
                StartInfo = new ProcessStartInfo(host is null ? "dotnet" : "ip", host is null ? worker : $"netns exec {host} dotnet {worker}")
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                },
            };
            var started = new Worker(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (started._lines) started._lines.Add(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (started._lines) started._lines.Add(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return started;
        }

        public Task<string> Ready() => Await(ReadyLine(), TimeSpan.FromMinutes(2));

        /// <summary>The units the worker started and did not report done.</summary>
        public IReadOnlyList<string> UnitsInFlight()
        {
            lock (_lines)
            {
                var done = _lines.Select(l => DoneLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
                return _lines.Select(l => StartedLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Where(id => !done.Contains(id)).ToList();
            }
        }

        /// <summary>Every line the worker printed so far.</summary>
        public string Output
        {
            get
            {
                lock (_lines) return string.Join("\n", _lines);
            }
        }

        /// <summary>The id of the first unit whose id starts with <paramref name="kind"/> that the worker started.</summary>
        public Task<string> FirstStartedUnit(string kind) => Await(StartedLine(), TimeSpan.FromMinutes(2), kind);

        private async Task<string> Await(Regex pattern, TimeSpan timeout, string prefix = "")
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                lock (_lines)
                    foreach (var line in _lines)
                        if (pattern.Match(line) is { Success: true } match && match.Groups[1].Value.StartsWith(prefix, StringComparison.Ordinal)) return match.Groups[1].Value;
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
