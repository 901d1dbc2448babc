using System.Text.Json.Nodes;
using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>The backend is chosen once, in parse (<see cref="MirrorBackends"/>), and another backend's keys are refused.</summary>
public sealed class BackendSelectionTests
{
    private static NetworkConfig Config(JsonObject raw) => new() { CniVersion = "1.0.0", Name = "net1", Type = "ovs-mirror", Raw = raw };

    [Fact]
    public void OvnNb_UnderBackendOvs_IsCode7NamingTheKey()
    {
        var raw = new JsonObject { ["bridge"] = "br1", ["ovn_nb"] = "tcp:127.0.0.1:6641", ["mirrors"] = new JsonArray() };

        var parse = () => MirrorBackends.Parse(Config(raw), "ovs-mirror", ConfigPurpose.Attach);

        var error = parse.Should().Throw<CniException>().Which;
        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
        error.Message.Should().Be(
            "ovn_nb is a key of backend ovn, and this config selects backend ovs (no \"backend\" key): remove ovn_nb, or set \"backend\": \"ovn\"");
    }

    [Fact]
    public void Bridge_UnderBackendOvn_IsCode7NamingTheKey()
    {
        var raw = new JsonObject { ["backend"] = "ovn", ["bridge"] = "br1" };

        var parse = () => MirrorBackends.Parse(Config(raw), "ovs-mirror", ConfigPurpose.Attach);

        parse.Should().Throw<CniException>().Which.Message.Should().StartWith("bridge is a key of backend ovs, and this config selects backend ovn:");
    }

    [Fact]
    public void Cleanup_ToleratesAForeignKey_SoWhatAnOlderVersionAcceptedCanStillBeDeleted()
    {
        var raw = new JsonObject { ["bridge"] = "br1", ["ovn_nb"] = "tcp:127.0.0.1:6641" };

        MirrorBackends.Parse(Config(raw), "ovs-mirror", ConfigPurpose.Cleanup).EndpointKey.Should().Be("socket_file");
    }

    [Theory]
    [InlineData(null, "ovs")]
    [InlineData("ovs", "ovs")]
    [InlineData("ovn", "ovn")]
    public void Backend_SelectsTheBackend(string? word, string expected)
    {
        var raw = new JsonObject { ["bridge"] = "br1" };
        if (word is not null)
        {
            raw["backend"] = word;
        }

        MirrorBackends.Select(Config(raw)).Name.Should().Be(expected);
    }

    [Fact]
    public void AnUnknownBackend_IsCode7ListingTheKnownOnes()
    {
        var parse = () => MirrorBackends.Select(Config(new JsonObject { ["backend"] = "vpp" }));

        parse.Should().Throw<CniException>().Which.Message.Should().Be("backend: \"vpp\" is not one of ovs, ovn");
    }
}
