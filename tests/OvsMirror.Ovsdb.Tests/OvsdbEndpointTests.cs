using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class OvsdbEndpointTests
{
    [Theory]
    [InlineData("unix:/var/run/openvswitch/db.sock", OvsdbEndpointKind.Unix, "/var/run/openvswitch/db.sock", "", 0)]
    [InlineData("/var/run/openvswitch/db.sock", OvsdbEndpointKind.Unix, "/var/run/openvswitch/db.sock", "", 0)]
    [InlineData("tcp:127.0.0.1:6640", OvsdbEndpointKind.Tcp, "", "127.0.0.1", 6640)]
    [InlineData("tcp:[::1]:6640", OvsdbEndpointKind.Tcp, "", "::1", 6640)]
    [InlineData("tcp:ovsdb.example:1", OvsdbEndpointKind.Tcp, "", "ovsdb.example", 1)]
    public void ValidSocketFile_Parses(string text, OvsdbEndpointKind kind, string path, string host, int port)
    {
        var endpoint = OvsdbEndpoint.Parse(text);

        endpoint.Kind.Should().Be(kind);
        endpoint.Path.Should().Be(path);
        endpoint.Host.Should().Be(host);
        endpoint.Port.Should().Be(port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("unix:", "no socket path")]
    [InlineData("db.sock", "not unix:PATH or tcp:HOST:PORT")]
    [InlineData("ssl:1.2.3.4:6640", "not unix:PATH or tcp:HOST:PORT")]
    [InlineData("tcp:127.0.0.1", "no port")]
    [InlineData("tcp:127.0.0.1:0", "port outside 1-65535")]
    [InlineData("tcp:127.0.0.1:65536", "port outside 1-65535")]
    [InlineData("tcp:127.0.0.1:66x", "port outside 1-65535")]
    [InlineData("tcp:::1:6640", "in brackets")]
    [InlineData("tcp:[zz::1]:6640", "malformed IPv6")]
    [InlineData("tcp:bad host:6640", "malformed host")]
    public void MalformedSocketFile_IsRefusedWithAReason(string text, string reason)
    {
        OvsdbEndpoint.TryParse(text, out var endpoint, out var error).Should().BeFalse();

        endpoint.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void UnixPathLongerThanSunPath_IsRefused()
    {
        OvsdbEndpoint.TryParse("unix:/" + new string('a', 107), out _, out var error).Should().BeFalse();

        error.Should().Contain("107 bytes");
    }

    [Theory]
    [InlineData("unix:/run/db.sock")]
    [InlineData("tcp:10.0.0.1:6640")]
    [InlineData("tcp:[fd00::1]:6640")]
    public void Endpoint_PrintsAsItWasWritten(string text) => OvsdbEndpoint.Parse(text).ToString().Should().Be(text);
}
