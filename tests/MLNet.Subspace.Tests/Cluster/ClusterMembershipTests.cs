using Microsoft.Extensions.Hosting;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;

namespace MLNet.Subspace.Tests.Cluster;

/// <summary>Two worker silos whose membership lives in a real Redis server (a provider for several machines, chosen by
/// <c>Orleans:Clustering:ProviderType</c>): the client finds their gateways there, both take units, and the results are the
/// local runner's bytes.</summary>
public class ClusterMembershipTests
{
    private static readonly SscOptions Ssc = new() { Solver = SscSolver.Admm };

    [Fact]
    public async Task Two_Silos_With_Redis_Membership_Give_The_Local_Bytes_And_Both_Take_Units()
    {
        using var temp = new TempFolder();
        using var redis = await MembershipServer.StartRedisAsync(temp.File("redis"));
        string shared = temp.File("shared"), local = temp.File("local"), config = temp.File("cluster.json");
        var units = ClusterUnitRunnerTests.WriteLayers(shared, layers: 4, n: 40, d: 12, Ssc);
        var localUnits = ClusterUnitRunnerTests.WriteLayers(local, layers: 4, n: 40, d: 12, Ssc);
        File.WriteAllText(config, $$"""
            { "Orleans": { "ClusterId": "redis-test-{{Guid.NewGuid():N}}", "Clustering": {{redis.Clustering}} } }
            """);
        int[] ports = WorkerProcessTests.FreePorts(4);
        var workers = new List<IHost>();
        try
        {
            for (int w = 0; w < 2; w++)
            {
                var worker = SubspaceCluster.CreateWorker(SubspaceCluster.LoadConfiguration(config, new Dictionary<string, string?>
                {
                    ["Orleans:Endpoints:SiloPort"] = $"{ports[w]}",
                    ["Orleans:Endpoints:GatewayPort"] = $"{ports[2 + w]}",
                }), shared);
                workers.Add(worker);
                await worker.StartAsync();
            }
            // The client's configuration names no gateway: it reads the live silos' gateways from Redis.
            using var client = await SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(config));
            var receipts = await new ClusterUnitRunner(SubspaceCluster.Client(client), shared).RunAsync(units).WaitAsync(TimeSpan.FromMinutes(2));

            await new LocalUnitRunner(local).RunAsync(localUnits);
            Assert.Equal(units.Select(u => u.Id), receipts.Select(r => r.UnitId));
            Assert.Equal(workers.Select(SubspaceCluster.SiloName).Order(StringComparer.Ordinal), receipts.Select(r => r.Worker).Distinct().Order(StringComparer.Ordinal));
            foreach (var unit in units)
                Assert.Equal(File.ReadAllBytes(Path.Combine(local, unit.ResultPath)), File.ReadAllBytes(Path.Combine(shared, unit.ResultPath)));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync();
                worker.Dispose();
            }
        }
    }
}
