using OvsMirror.Cni;
using OvsMirror.Mirroring;

namespace OvsMirror;

/// <summary>CNI mode: the dispatcher and the plugin, wired to whatever process boundary is given.</summary>
internal static class CniEntryPoint
{
    public static int Run(Func<string, string?> getenv, Stream stdin, Stream stdout, TextWriter stderr, string programName,
        StartupTimeline? timeline = null)
    {
        Action<string>? mark = timeline is null ? null : timeline.Mark;
        var dispatcher = new CniDispatcher(getenv, stdin, stdout, stderr, programName) { PhaseCompleted = mark };
        var exit = dispatcher.Run(new OvsMirrorPlugin(stderr, mark), CancellationToken.None);
        timeline?.WriteTo(stderr);
        return exit;
    }
}
