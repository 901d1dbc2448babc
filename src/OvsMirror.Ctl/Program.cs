using System.Runtime.InteropServices;
using OvsMirror;

// ovs-mirrorctl: the operator CLI. Only this file touches the process boundary (STYLE.md §6).
// `install` copies the plugin, which is the ovs-mirror next to this binary (both are in the image's /usr/bin).
var plugin = Environment.ProcessPath is { } self && Path.GetDirectoryName(self) is { } dir ? Path.Combine(dir, "ovs-mirror") : null;
return OperatorCli.Run(args, Console.Out, Console.Error, plugin, WaitForTermination);

// `pause` as PID 1 of a container: the kernel ignores signals PID 1 has no handler for, so handle them.
static void WaitForTermination()
{
    using var stop = new ManualResetEventSlim();
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Set(); });
    stop.Wait();
}
