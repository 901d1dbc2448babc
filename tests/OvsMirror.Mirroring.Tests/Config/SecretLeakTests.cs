using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>
/// A config can hold secrets (STYLE.md §9), so an error message names key paths and shows only numbers, enum-like
/// words and mirror names. Mirror names are identifiers that OVSDB and ovs-vsctl show to anyone on the node, so a
/// refusal may name the mirror; every other string value of the config stays out of messages.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Secret = "hunter2:S3CRET/token";

    public static TheoryData<string, string?, string, string> ErrorCases() => new()
    {
        // plugin keys, cni-args, program, label
        { $$"""{"password":"{{Secret}}"}""", null, "ovs-mirror", "a secret key and no bridge" },
        { $$"""{"bridge":"{{Secret}}","timeoutMs":5}""", null, "ovs-mirror", "the bridge is the secret" },
        { $$$"""{"bridge":{"k":"{{{Secret}}}"}}""", null, "ovs-mirror", "the bridge is an object holding it" },
        { $$"""{"bridge":"br1","socket_file":"{{Secret}}"}""", null, "ovs-mirror", "socket_file is the secret" },
        { $$"""{"bridge":"br1","socket_file":"tcp:{{Secret}}"}""", null, "ovs-mirror", "socket_file has a secret port" },
        { $$"""{"bridge":"br1","socket_file":"tcp:{{Secret}}:1"}""", null, "ovs-mirror", "socket_file has a secret IPv6-like host" },
        { $$"""{"bridge":"br1","socket_file":"tcp:[{{Secret}}]:1"}""", null, "ovs-mirror", "socket_file has a secret in brackets" },
        { $$"""{"bridge":"br1","socket_file":"tcp:a b{{Secret}}:1"}""", null, "ovs-mirror", "socket_file has a malformed secret host" },
        { $$"""{"bridge":"br1","socket_file":"/{{string.Concat(Enumerable.Repeat(Secret, 8))}}"}""", null, "ovs-mirror", "socket_file is a long secret path" },
        { $$"""{"bridge":"br1","socket_file":"unix:{{string.Concat(Enumerable.Repeat(Secret, 8))}}"}""", null, "ovs-mirror", "socket_file is a long secret unix path" },
        { $$"""{"bridge":"br1","vswitchdCtl":"{{Secret}}","timeoutMs":"x"}""", null, "ovs-mirror", "vswitchdCtl is the secret" },
        { $$"""{"bridge":"br1","flowRevalidation":"{{Secret}}"}""", null, "ovs-mirror", "flowRevalidation is the secret" },
        { $$"""{"bridge":"br1","allowedPodRoles":["{{Secret}}"]}""", null, "ovs-mirror", "a role is the secret" },
        { $$"""{"bridge":"br1","allowedPodMirrors":["a*{{Secret}}"]}""", null, "ovs-mirror", "a pattern holds the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","selection":["{{Secret}}"]}]}""", null, "ovs-mirror", "a selection word is the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","output":"{{Secret}}"}]}""", null, "ovs-mirror", "output is the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","output":"port","{{Secret}}":1}]}""", null, "ovs-mirror", "an entry key is the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","output":"port","passwd":"{{Secret}}"}]}""", null, "ovs-mirror", "an unknown entry key holds the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":["{{Secret}}"]}]}""", null, "ovs-mirror", "a VLAN is the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"{{string.Concat(Enumerable.Repeat(Secret, 13))}}","output":"port"}]}""", null, "ovs-mirror", "an over-long name" },
        { $$"""{"bridge":"br1","args":"{{Secret}}"}""", null, "ovs-mirror", "args is the secret" },
        { $$$"""{"bridge":"br1","args":{"cni":"{{{Secret}}}"}}""", null, "ovs-mirror", "args.cni is the secret" },
        { """{"bridge":"br1"}""", $$"""{"token":"{{Secret}}","mirrors":[{"name":"m","output":"port"}]}""", "ovs-mirror", "pod args beside a secret, not allowed" },
        { """{"bridge":"br1","allowPodArgs":true}""", $$"""{"token":"{{Secret}}","mirrors":[{"name":"m","output":"{{Secret}}"}]}""", "ovs-mirror", "a pod's secret output" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","selection":["{{Secret}}"]}]}""", null, "ovs-mirror-producer", "compat: selection is the secret" },
        { $$"""{"bridge":"br1","mirrors":[{"name":"m","ingress":"{{Secret}}"}]}""", null, "ovs-mirror-producer", "compat: ingress is the secret" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void ErrorMessage_NeverShowsAConfigValue(string config, string? cniArgs, string program, string label)
    {
        var error = TestConfig.Fail(config, cniArgs, type: program, program: program);

        error.Code.Should().BeOneOf(CniErrorCode.InvalidNetworkConfig, Mirroring.PluginErrorCode.PodArgsNotAllowed);
        error.Message.Should().NotContain("hunter2", label).And.NotContain("S3CRET", label);
        (error.Details ?? string.Empty).Should().NotContain("hunter2", label);
    }

    [Fact]
    public void Refusal_NamesTheMirror_BecauseMirrorNamesAreIdentifiers()
    {
        var error = TestConfig.Fail(
            """{"bridge":"br1","allowPodArgs":true,"allowedPodMirrors":["ids-*"]}""",
            """{"mirrors":[{"name":"mirror-1","selection":["src_port"]}]}""");

        error.Message.Should().Contain("mirror-1");
    }

    [Theory]
    // A typo of an enum word or a key is short and word-like: showing it is what makes the message useful.
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_prot"]}]}""", "\"src_prot\"")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"span"}]}""", "\"span\"")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","snaplne":5}]}""", "mirrors[0].snaplne")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["a-very-long-selection-word-x"]}]}""", "the value is not one of")]
    public void WordLikeTypos_AreShown_LongValuesAreNot(string config, string expected)
    {
        TestConfig.Fail(config).Message.Should().Contain(expected);
    }
}
