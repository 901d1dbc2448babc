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
    public void Parse_WithEmptyOrRepeatedKey_ThrowsCode4(string value)
    {
        var act = () => CniArgsParser.Parse(value);

        act.Should().Throw<CniException>().Which.Code.Should().Be(CniErrorCode.InvalidEnvironmentVariables);
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
