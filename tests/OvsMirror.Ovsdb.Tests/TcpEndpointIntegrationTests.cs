using System.Diagnostics;
using System.Text.RegularExpressions;
using OvsMirror.Ovsdb;
using OvsMirror.Testing;

namespace OvsMirror.Ovsdb.Tests;

/// <summary>
/// tcp:HOST:PORT endpoints (the OVN NB of a central cluster is one) against a real ovsdb-server listening on a TCP
/// port of loopback, through the client's own socket(2)/connect(2) and getaddrinfo(3). Oracle: ovs-vsctl over the
/// server's unix socket.
/// </summary>
public sealed partial class TcpEndpointIntegrationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [GeneratedRegex(@"listening on port (\d+)")]
    private static partial Regex ListeningOn();

    /// <summary>Adds a ptcp remote on an ephemeral port of 127.0.0.1 and waits for the server to log which port it got.</summary>
    private static async Task<int> ListenOnTcpAsync(OvsSandbox sandbox)
    {
        await ProcessRunner.RunCheckedAsync(OvsTools.Require("ovs-appctl"),
            ["-t", sandbox.OvsdbServerCtl, "ovsdb-server/add-remote", "ptcp:0:127.0.0.1"]);
        var log = Path.Combine(sandbox.Directory, "ovsdb-server.log");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var match = ListeningOn().Match(await File.ReadAllTextAsync(log));
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "ovsdb-server logs the port of a ptcp:0 remote");
            await Task.Delay(50);
        }
    }

    [OvsTheory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Transact_OverTcp_CommitsWhatOvsVsctlThenSees(string host)
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        var port = await ListenOnTcpAsync(sandbox);
        using var connection = OvsdbConnection.Connect(OvsdbEndpoint.Parse($"tcp:{host}:{port}"), Deadline);

        connection.Transact(new Transaction("Open_vSwitch")
                .Insert("Mirror", new OvsdbRow().Set("name", "m1"), "m")
                .Mutate("Bridge", Where.Eq("name", "br1"), Mutation.Insert("mirrors", OvsdbAtom.FromNamedUuid("m"))))
            .ThrowIfAnyFailed();

        (await sandbox.VsctlAsync("get", "Mirror", "m1", "name")).Trim().Should().Be("m1");
    }

    [Fact]
    public void Connect_ToATcpPortNobodyListensOn_IsAConnectionErrorNamingTheEndpoint()
    {
        // A port of loopback this test had and closed: nothing listens there until another process takes it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var connect = () => OvsdbConnection.Connect(OvsdbEndpoint.Parse($"tcp:127.0.0.1:{port}"), Deadline);

        connect.Should().Throw<OvsdbConnectionException>().Which.Message
            .Should().Be($"cannot connect to tcp:127.0.0.1:{port}: Connection refused");
    }

    [Fact]
    public void Connect_ToAHostThatDoesNotResolve_IsAConnectionErrorNamingTheHost()
    {
        // RFC 6761 §6.4: .invalid names never resolve.
        var connect = () => OvsdbConnection.Connect(OvsdbEndpoint.Parse("tcp:ovsdb.invalid:6641"), Deadline);

        connect.Should().Throw<OvsdbConnectionException>().Which.Message
            .Should().StartWith("cannot connect to tcp:ovsdb.invalid:6641: ovsdb.invalid: ");
    }
}
