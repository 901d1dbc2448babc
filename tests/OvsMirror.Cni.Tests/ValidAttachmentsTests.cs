using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>CNI SPEC 1.1 §GC: <c>cni.dev/valid-attachments</c>, the attachments the runtime still holds.</summary>
public sealed class ValidAttachmentsTests
{
    [Fact]
    public void Gc_ParsesValidAttachmentsInOrder()
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("GC", TestConfigs.Json("1.1.0")).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.NetworkConfig.ValidAttachments.Should().Equal(
            new CniAttachment("aaa", "net1"),
            new CniAttachment("bbb", "eth0"));
    }

    [Fact]
    public void Gc_WithEmptyList_GivesNoValidAttachments()
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("GC", TestConfigs.With(NetworkConfig.ValidAttachmentsKey, new JsonArray(), "1.1.0")).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.NetworkConfig.ValidAttachments.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public void Gc_WithOnlyTheLegacyKey_ReadsIt()
    {
        var config = TestConfigs.Object("1.1.0");
        config.Remove(NetworkConfig.ValidAttachmentsKey);
        config[NetworkConfig.LegacyAttachmentsKey] = new JsonArray(new JsonObject { ["containerID"] = "ccc", ["ifname"] = "net2" });
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("GC", config.ToJsonString()).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.NetworkConfig.ValidAttachments.Should().Equal(new CniAttachment("ccc", "net2"));
    }

    [Fact]
    public void Gc_WithoutValidAttachments_ReturnsCode7RatherThanCollectingEverything()
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("GC", TestConfigs.Without(NetworkConfig.ValidAttachmentsKey, "1.1.0")).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.ErrorMessage.Should().Be("cni.dev/valid-attachments is required for GC");
        plugin.Requests.Should().BeEmpty();
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { """{"containerID":"a"}""", "cni.dev/valid-attachments" },
        { """[{"containerID":"a"}]""", "cni.dev/valid-attachments[0].ifname is required" },
        { """[{"ifname":"eth0"}]""", "cni.dev/valid-attachments[0].containerID is required" },
        { """[{"containerID":"a","ifname":"eth0"},{"containerID":1,"ifname":"eth0"}]""", "cni.dev/valid-attachments[1].containerID must be a string" },
        { """["a/eth0"]""", "cni.dev/valid-attachments[0] must be an object" },
        { """[{"containerID":"","ifname":"eth0"}]""", "cni.dev/valid-attachments[0] must have" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Gc_WithMalformedValidAttachments_ReturnsCode7NamingTheElement(string list, string messageStart)
    {
        var outcome = CniRun.For("GC", TestConfigs.With(NetworkConfig.ValidAttachmentsKey, JsonNode.Parse(list), "1.1.0"))
            .Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.ErrorMessage.Should().StartWith(messageStart);
    }

    [Fact]
    public void Gc_IgnoresExtraKeysOfAnAttachment()
    {
        var list = JsonNode.Parse("""[{"containerID":"a","ifname":"eth0","future":{"x":1}}]""");
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("GC", TestConfigs.With(NetworkConfig.ValidAttachmentsKey, list, "1.1.0")).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.NetworkConfig.ValidAttachments.Should().Equal(new CniAttachment("a", "eth0"));
    }
}
