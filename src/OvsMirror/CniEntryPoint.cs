using OvsMirror.Cni;
using OvsMirror.Mirroring;

namespace OvsMirror;

/// <summary>CNI mode: the dispatcher and the plugin, wired to whatever process boundary is given.</summary>
internal static class CniEntryPoint
{
    public static int Run(Func<string, string?> getenv, Stream stdin, Stream stdout, TextWriter stderr, string programName) =>
        new CniDispatcher(getenv, stdin, stdout, stderr, programName).Run(new OvsMirrorPlugin(stderr), CancellationToken.None);
}
