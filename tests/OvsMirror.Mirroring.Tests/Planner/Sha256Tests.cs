using System.Text;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>The managed SHA-256 behind tunnel port names (it keeps OpenSSL out of every DEL), against FIPS 180-4 and the framework's.</summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Digest_IsTheFips180Example(string message, string digest) =>
        Convert.ToHexStringLower(Sha256.HashData(Encoding.ASCII.GetBytes(message))).Should().Be(digest);

    [Fact]
    public void Digest_EqualsTheFrameworks_ForEveryLengthAcrossThePaddingBoundaries()
    {
        var random = new Random(14);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Sha256.HashData(data).Should().Equal(System.Security.Cryptography.SHA256.HashData(data), $"length {length}");
        }
    }

    [Fact]
    public void TunnelPortName_IsWhatEarlierVersionsNamedIt()
    {
        var framework = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("br1\0mirror1"));
        TunnelPort.Name("br1", "mirror1").Should().Be("omt" + Convert.ToHexStringLower(framework)[..12]);
    }
}
