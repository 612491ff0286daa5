namespace MLNet.Subspace.Tests.Cluster;

/// <summary>
/// Hosts of a small network on this machine: a bridge in this (the client's) network namespace, and one network namespace
/// per host joined to it by a veth pair, each with an address of its own on a random 10.x.y.0/24 (iproute2's
/// <c>ip netns</c>; needs root). A process started with <c>ip netns exec</c> in a host sees only that host's interfaces, so
/// silos there reach each other and the client across the bridge as they would across machines; the file system is shared,
/// as a cluster's shared folder is. Removed on dispose.
/// </summary>
internal sealed class TestNetwork : IDisposable
{
    /// <summary>A host: its network namespace and its address.</summary>
    public sealed record Host(string Namespace, string Address);

    private readonly string _bridge;

    private TestNetwork(string bridge, string clientAddress, IReadOnlyList<Host> hosts)
    {
        _bridge = bridge;
        ClientAddress = clientAddress;
        Hosts = hosts;
    }

    /// <summary>This namespace's address on the bridge (where the test's client and servers listen).</summary>
    public string ClientAddress { get; }

    /// <summary>The hosts, addresses .2, .3, ...</summary>
    public IReadOnlyList<Host> Hosts { get; }

    public static TestNetwork Create(int hosts)
    {
        if (Environment.UserName != "root") throw new InvalidOperationException("The network test needs root (ip netns, veth, a bridge).");
        string tag = Guid.NewGuid().ToString("N")[..6];
        string subnet = $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(1, 250)}";
        var network = new TestNetwork($"ssbr{tag}", $"{subnet}.1", Enumerable.Range(0, hosts).Select(h => new Host($"ss{tag}h{h}", $"{subnet}.{h + 2}")).ToList());
        try
        {
            Ip("link", "add", network._bridge, "type", "bridge");
            Ip("addr", "add", $"{network.ClientAddress}/24", "dev", network._bridge);
            Ip("link", "set", network._bridge, "up");
            for (int h = 0; h < hosts; h++)
            {
                var host = network.Hosts[h];
                string outside = $"ssv{tag}{h}";
                Ip("netns", "add", host.Namespace);
                Ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
                Ip("link", "set", outside, "master", network._bridge, "up");
                Ip("-n", host.Namespace, "addr", "add", $"{host.Address}/24", "dev", "eth0");
                Ip("-n", host.Namespace, "link", "set", "eth0", "up");
                Ip("-n", host.Namespace, "link", "set", "lo", "up");
            }
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static void Ip(params string[] arguments) => ProcessRunner.RunOrThrow("ip", arguments);

    public void Dispose()
    {
        // Deleting a namespace deletes its end of the veth pair, and with it the other end.
        foreach (var host in Hosts)
            try { Ip("netns", "del", host.Namespace); } catch (InvalidOperationException) { }
        try { Ip("link", "del", _bridge); } catch (InvalidOperationException) { }
    }
}
