namespace OvsMirror.Cni.Tests;

/// <summary>Which command needs which CNI_* variable (CNI SPEC §Parameters, skel's table).</summary>
public sealed class EnvironmentMatrixTests
{
    private static readonly string[] Commands = ["ADD", "DEL", "CHECK", "STATUS", "GC"];
    private static readonly string[] Variables = ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"];

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (string command in Commands)
        {
            foreach (string variable in Variables)
            {
                bool required = (command, variable) switch
                {
                    ("ADD" or "CHECK", _) => true,
                    ("DEL", "CNI_NETNS") => false,
                    ("DEL", _) => true,
                    ("GC", "CNI_PATH") => true,
                    _ => false,
                };
                data.Add(command, variable, required);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Command_WithoutVariable_FailsWithCode4OnlyWhenRequired(string command, string variable, bool required)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.WithEveryVariable(command, TestConfigs.Json("1.1.0")).Without(variable).Run(plugin);

        if (required)
        {
            outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
            outcome.ErrorMessage.Should().Be($"{variable} is required for {command}");
            plugin.Requests.Should().BeEmpty();
        }
        else
        {
            outcome.ExitCode.Should().Be(0, outcome.Stdout);
            plugin.Requests.Should().ContainSingle();
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Command_WithVariableSetEmpty_TreatsItAsMissing(string command, string variable, bool required)
    {
        var outcome = CniRun.WithEveryVariable(command, TestConfigs.Json("1.1.0")).With(variable, "").Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(required ? 1 : 0, outcome.Stdout);
    }

    [Fact]
    public void Add_WithoutContainerId_ReturnsCode4NamingTheVariable()
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json()).Without("CNI_CONTAINERID").Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().Be("CNI_CONTAINERID is required for ADD");
    }

    [Fact]
    public void Version_WithOnlyCniCommand_Succeeds()
    {
        var run = CniRun.For("VERSION", null);
        run.Env.Keys.Should().Equal("CNI_COMMAND");

        var outcome = run.Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(0);
    }

    [Theory]
    [InlineData("STATUS")]
    [InlineData("GC")]
    public void StatusAndGc_WithoutAttachmentVariables_Succeed(string command)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Json("1.1.0")).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.ContainerId.Should().BeEmpty();
        plugin.Single.IfName.Should().BeEmpty();
    }

    [Fact]
    public void Del_WithoutNetns_PassesNullNetns()
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("DEL", TestConfigs.Json()).Without("CNI_NETNS").Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.Netns.Should().BeNull();
    }

    [Fact]
    public void Add_PassesEveryParameterToThePlugin()
    {
        var plugin = new RecordingPlugin();
        var run = CniRun.For("ADD", TestConfigs.Json());
        run.ProgramName = "/opt/cni/bin/ovs-mirror-producer";

        var outcome = run.Run(plugin);

        outcome.ExitCode.Should().Be(0);
        var request = plugin.Single;
        request.Command.Should().Be(CniCommand.Add);
        request.ContainerId.Should().Be(CniRun.ContainerId);
        request.Netns.Should().Be(CniRun.Netns);
        request.IfName.Should().Be(CniRun.IfName);
        request.Path.Should().Be(CniRun.CniPath);
        request.ProgramName.Should().Be("ovs-mirror-producer");
        request.NetworkConfig.Name.Should().Be("mirror-net");
        request.NetworkConfig.Type.Should().Be("ovs-mirror");
        request.NetworkConfig.CniVersion.Should().Be("1.0.0");
        request.NetworkConfig.Raw["bridge"]!.GetValue<string>().Should().Be("br1");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingCniCommand_ReturnsCode4(string? value)
    {
        var run = CniRun.For("ADD", TestConfigs.Json());
        if (value is null)
        {
            run.Without("CNI_COMMAND");
        }
        else
        {
            run.With("CNI_COMMAND", value);
        }

        var outcome = run.Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().Contain("CNI_COMMAND");
    }

    [Theory]
    [InlineData("add")]
    [InlineData("UPDATE")]
    [InlineData("ADD ")]
    public void UnknownCniCommand_ReturnsCode4(string value)
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json()).With("CNI_COMMAND", value).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().Contain("CNI_COMMAND");
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("_underscore")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("ünicode")]
    public void Add_WithMalformedContainerId_ReturnsCode4NamingTheVariable(string containerId)
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json()).With("CNI_CONTAINERID", containerId).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().StartWith("CNI_CONTAINERID");
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("eth0/1")]
    [InlineData("eth0:1")]
    [InlineData("eth 0")]
    [InlineData("eth\t0")]
    [InlineData("sixteen-chars-xx")]
    public void Add_WithMalformedIfName_ReturnsCode4NamingTheVariable(string ifName)
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json()).With("CNI_IFNAME", ifName).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.ErrorMessage.Should().StartWith("CNI_IFNAME");
    }
}
