namespace OvsMirror.Cni.Tests;

/// <summary>CNI SPEC §Parameters: CNI_ARGS, "alphanumeric key-value pairs separated by semicolons".</summary>
public sealed class CniArgsTests
{
    private const string KubeletArgs =
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=3f6940ab;K8S_POD_UID=0d4c-11ee";

    [Fact]
    public void Add_WithKubeletArgs_KeepsEveryPairInOrder()
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("ADD", TestConfigs.Json()).With("CNI_ARGS", KubeletArgs + ";VENDOR_X=y").Run(plugin);

        outcome.ExitCode.Should().Be(0);
        var args = plugin.Single.Args;
        args.Keys.Should().Equal("IgnoreUnknown", "K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID", "VENDOR_X");
        args["K8S_POD_NAME"].Should().Be("web-0");
        args["K8S_POD_UID"].Should().Be("0d4c-11ee");
        args["VENDOR_X"].Should().Be("y");
    }

    [Fact]
    public void Add_WithoutCniArgs_GivesEmptyArgs()
    {
        var plugin = new RecordingPlugin();

        CniRun.For("ADD", TestConfigs.Json()).Run(plugin);

        plugin.Single.Args.Should().BeEmpty();
    }

    [Theory]
    [InlineData("K8S_POD_NAME")]
    [InlineData("A=1;B")]
    [InlineData("A=1;;B;")]
    public void Add_WithPairWithoutEquals_ReturnsCode4(string value)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("ADD", TestConfigs.Json()).With("CNI_ARGS", value).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().StartWith("CNI_ARGS");
        plugin.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("=value")]
    [InlineData("A=1;A=2")]
    [InlineData("IgnoreUnknown=yes")]
    public void Parse_WithEmptyKeyConflictingRepeatOrNonBooleanIgnoreUnknown_ThrowsCode4(string value)
    {
        var act = () => CniArgsParser.Parse(value);

        act.Should().Throw<CniException>().Which.Code.Should().Be(CniErrorCode.InvalidEnvironmentVariables);
    }

    /// <summary>Captured from containerd 1.6 + Multus 4.0.2 for a delegate (shared/reference/k8s-node.md).</summary>
    private const string MultusDelegateArgs =
        "IgnoreUnknown=true;K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=9a1f;K8S_POD_UID=5e2c-77;" +
        "K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=9a1f;K8S_POD_UID=5e2c-77;IgnoreUnknown=1";

    /// <summary>The same copies in the other order, as other calls of the same pod send them.</summary>
    private const string MultusDelegateArgsReordered =
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=9a1f;K8S_POD_UID=5e2c-77;" +
        "IgnoreUnknown=true;K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=9a1f;K8S_POD_UID=5e2c-77";

    [Theory]
    [InlineData("ADD", MultusDelegateArgs)]
    [InlineData("CHECK", MultusDelegateArgs)]
    [InlineData("DEL", MultusDelegateArgs)]
    [InlineData("GC", MultusDelegateArgs)]
    [InlineData("STATUS", MultusDelegateArgs)]
    [InlineData("ADD", MultusDelegateArgsReordered)]
    [InlineData("DEL", MultusDelegateArgsReordered)]
    public void Command_WithContainerdAndMultusCopies_ReachesThePluginWithOneValuePerKey(string command, string cniArgs)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Json("1.1.0")).With("CNI_ARGS", cniArgs).Run(plugin);

        outcome.ExitCode.Should().Be(0, "stdout was: {0}", outcome.Stdout);
        outcome.Stderr.Should().NotContain("warning", "identical repeats are what every Multus delegate gets");
        var args = plugin.Single.Args;
        args.Keys.Should().BeEquivalentTo("IgnoreUnknown", "K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID");
        args["K8S_POD_NAMESPACE"].Should().Be("emu-cni");
        args["K8S_POD_NAME"].Should().Be("ovs-prod-1");
        args["K8S_POD_UID"].Should().Be("5e2c-77");
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("CHECK")]
    public void AddOrCheck_WhenTheCopiesDisagreeOnThePod_ReturnsCode4NamingTheKey(string command)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Json()).With("CNI_ARGS", "K8S_POD_NAME=web-0;K8S_POD_NAME=web-1").Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().Contain("K8S_POD_NAME").And.NotContain("web-");
        plugin.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("GC")]
    [InlineData("STATUS")]
    public void Cleanup_WhenTheCopiesDisagree_UsesTheLastValueAndWarns(string command)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Json("1.1.0"))
            .With("CNI_ARGS", "K8S_POD_NAME=web-0;IgnoreUnknown=1;K8S_POD_NAME=web-1;IgnoreUnknown=0").Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.Args["K8S_POD_NAME"].Should().Be("web-1");
        plugin.Single.Args["IgnoreUnknown"].Should().Be("0");
        outcome.Stderr.Should().Contain("warning").And.Contain("K8S_POD_NAME").And.Contain("IgnoreUnknown");
    }

    [Theory]
    [InlineData("DEL", "A=1;B;=x;IgnoreUnknown=maybe;C=3")]
    [InlineData("GC", ";;junk;;C=3")]
    public void Cleanup_WithMalformedPairs_SkipsThemAndSucceeds(string command, string cniArgs)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Json("1.1.0")).With("CNI_ARGS", cniArgs).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.Args["C"].Should().Be("3");
        plugin.Single.Args.Keys.Should().NotContain(k => k == "B" || k == "" || k == "IgnoreUnknown" || k == "junk");
        outcome.Stderr.Should().Contain("warning");
    }

    [Theory]
    [InlineData("IgnoreUnknown=true;IgnoreUnknown=1")]
    [InlineData("IgnoreUnknown=TRUE;IgnoreUnknown=true;IgnoreUnknown=1")]
    [InlineData("IgnoreUnknown=0;IgnoreUnknown=False")]
    public void Parse_IgnoreUnknownRepeatedWithTheSameTruth_IsNoConflict(string value)
    {
        var parsed = CniArgsParser.Parse(value);

        parsed.Should().ContainKey("IgnoreUnknown");
    }

    [Fact]
    public void Parse_IgnoreUnknownRepeatedWithOppositeTruth_IsAConflictWhenStrict()
    {
        var act = () => CniArgsParser.Parse("IgnoreUnknown=true;IgnoreUnknown=0");

        act.Should().Throw<CniException>().Which.Message.Should().Contain("IgnoreUnknown");
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("A=1;", new[] { "A", "1" })]
    [InlineData(";A=1;;B=2", new[] { "A", "1", "B", "2" })]
    [InlineData("A=", new[] { "A", "" })]
    [InlineData("A=b=c", new[] { "A", "b=c" })]
    public void Parse_SplitsPairsOnTheFirstEquals(string value, string[] flat)
    {
        var parsed = CniArgsParser.Parse(value);

        parsed.SelectMany(p => new[] { p.Key, p.Value }).Should().Equal(flat);
    }
}
