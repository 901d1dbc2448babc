namespace OvsMirror.Cni.Tests;

/// <summary>CNI SPEC §Parameters: CNI_CONTAINERID and CNI_IFNAME syntax; §Configuration format: network name.</summary>
public sealed class IdentifierRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("0", true)]
    [InlineData("3f6940ab5ab43bc522569d15b23f8c1bbde1d7678b080398506924fc01d72755", true)]
    [InlineData("pod_1.ns-a", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("-a", false)]
    [InlineData(".a", false)]
    [InlineData("_a", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("é", false)]
    public void IsValidContainerId_FollowsTheSpecAlphabet(string? value, bool valid) =>
        CniIdentifierRules.IsValidContainerId(value).Should().Be(valid);

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("net1", true)]
    [InlineData("fifteen-chars-x", true)]
    [InlineData("sixteen-chars-xx", false)]
    [InlineData("ééééééé", true)] // 14 bytes
    [InlineData("éééééééé", false)] // 16 bytes, 8 characters
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("...", true)]
    [InlineData("a/b", false)]
    [InlineData("a:b", false)]
    [InlineData("a b", false)]
    [InlineData("a\nb", false)]
    [InlineData("a\u00a0b", false)]
    public void IsValidInterfaceName_FollowsLinuxRules(string? value, bool valid) =>
        CniIdentifierRules.IsValidInterfaceName(value).Should().Be(valid);

    [Theory]
    [InlineData("mirror-net", true)]
    [InlineData("ovs-vlan100-mir", true)]
    [InlineData("net.v1_a", true)]
    [InlineData("-net", false)]
    [InlineData("ns/net", false)]
    [InlineData("", false)]
    public void IsValidNetworkName_FollowsTheSpecAlphabet(string value, bool valid) =>
        CniIdentifierRules.IsValidNetworkName(value).Should().Be(valid);
}
