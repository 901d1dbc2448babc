namespace OvsMirror.Cni.Tests;

/// <summary>
/// Every command against every supported cniVersion and some unsupported ones
/// (CNI SPEC §Version: CHECK needs 0.4.0, STATUS and GC need 1.1.0; anything unknown is code 1).
/// </summary>
public sealed class VersionMatrixTests
{
    private static readonly string[] Commands = ["ADD", "DEL", "CHECK", "STATUS", "GC"];
    private static readonly string[] Versions = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", "0.2.0", "0.1.0", "1.2.0", "2.0.0", "1.0", "banana", ""];

    public static TheoryData<string, string, int?> Matrix()
    {
        var data = new TheoryData<string, string, int?>();
        foreach (string command in Commands)
        {
            foreach (string version in Versions)
            {
                int? expected = (command, version) switch
                {
                    (_, not ("0.3.0" or "0.3.1" or "0.4.0" or "1.0.0" or "1.1.0")) => CniErrorCode.IncompatibleCniVersion,
                    ("CHECK", "0.3.0" or "0.3.1") => CniErrorCode.IncompatibleCniVersion,
                    ("STATUS" or "GC", not "1.1.0") => CniErrorCode.IncompatibleCniVersion,
                    _ => null,
                };
                data.Add(command, version, expected);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Command_WithCniVersion_RunsOnlyWhenTheVersionDefinesIt(string command, string version, int? expectedCode)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Json(version)).Run(plugin);

        if (expectedCode is { } code)
        {
            outcome.ShouldFailWith(code);
            plugin.Requests.Should().BeEmpty();
        }
        else
        {
            outcome.ExitCode.Should().Be(0, outcome.Stdout);
            plugin.Single.NetworkConfig.CniVersion.Should().Be(version);
        }
    }

    [Theory]
    [InlineData("CHECK", "0.3.1", "0.4.0")]
    [InlineData("CHECK", "0.3.0", "0.4.0")]
    [InlineData("GC", "1.0.0", "1.1.0")]
    [InlineData("STATUS", "0.4.0", "1.1.0")]
    public void Command_OnTooOldVersion_ReturnsCode1NamingBothVersions(string command, string version, string minimum)
    {
        var outcome = CniRun.For(command, TestConfigs.Json(version)).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.IncompatibleCniVersion);
        outcome.ErrorMessage.Should().Contain(command).And.Contain(minimum).And.Contain(version);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be(version);
    }

    [Fact]
    public void Add_OnUnknownVersion_AnswersInLatestVersionWithoutEchoingTheValue()
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json("7.7.7-evil")).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.IncompatibleCniVersion);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be("1.1.0");
        outcome.Stdout.Should().NotContain("7.7.7-evil");
        outcome.Stderr.Should().NotContain("7.7.7-evil");
    }

    [Theory]
    [InlineData("1.0.0", "0.4.0", 1)]
    [InlineData("0.4.0", "1.0.0", -1)]
    [InlineData("0.4.0", "0.3.1", 1)]
    [InlineData("0.3.1", "0.3.0", 1)]
    [InlineData("1.1.0", "1.1.0", 0)]
    [InlineData("0.10.0", "0.9.0", 1)]
    [InlineData("banana", "0.1.0", -1)]
    public void Comparer_OrdersBySemanticVersion(string x, string y, int sign)
    {
        Math.Sign(CniVersionComparer.Instance.Compare(x, y)).Should().Be(sign);
        Math.Sign(CniVersionComparer.Instance.Compare(y, x)).Should().Be(-sign);
    }

    [Fact]
    public void Supported_ListsTheFiveVersionsOldestFirst()
    {
        CniVersion.Supported.Should().Equal("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
        CniVersion.Supported.Should().BeInAscendingOrder(CniVersionComparer.Instance);
    }
}
