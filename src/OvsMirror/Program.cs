using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OvsMirror;

// Only this file touches the process boundary (STYLE.md §6). kubelet sets CNI_COMMAND; an operator does not.
var mainTimestamp = Stopwatch.GetTimestamp();
var programName = Path.GetFileName(Environment.GetCommandLineArgs()[0]);
if (Environment.GetEnvironmentVariable("CNI_COMMAND") is not null)
{
    // CNI mode skips System.CommandLine entirely: every pod start pays for what runs here.
    var timeline = StartupTimeline.FromEnvironment(Environment.GetEnvironmentVariable("OVS_MIRROR_TIMING"), mainTimestamp);
    // Not Console's streams: their first use sets up the terminal (StandardStream says why).
    using var stdin = StandardStream.Input();
    using var stdout = StandardStream.Output();
    using var stderrWriter = new StreamWriter(StandardStream.Error(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false))
    {
        AutoFlush = true,
    };
    var stderr = TextWriter.Synchronized(stderrWriter);
    return CniEntryPoint.Run(Environment.GetEnvironmentVariable, stdin, stdout, stderr, programName, timeline);
}

// By hand: only version/install/uninstall/pause, without System.CommandLine (its code would be in every CNI call's
// image, issue 14); the operator commands are ovs-mirrorctl's.
return PluginCommands.Run(args, Console.Out, Console.Error, Environment.ProcessPath, WaitForTermination);

// `pause` as PID 1 of a container: the kernel ignores signals PID 1 has no handler for, so handle them.
static void WaitForTermination()
{
    using var stop = new ManualResetEventSlim();
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Set(); });
    stop.Wait();
}
