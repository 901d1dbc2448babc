using System.Diagnostics;
using OvsMirror;

// Only this file touches the process boundary (STYLE.md §6). kubelet sets CNI_COMMAND; an operator does not.
var mainTimestamp = Stopwatch.GetTimestamp();
var programName = Path.GetFileName(Environment.GetCommandLineArgs()[0]);
if (Environment.GetEnvironmentVariable("CNI_COMMAND") is not null)
{
    // CNI mode skips System.CommandLine entirely: every pod start pays for what runs here.
    var timeline = StartupTimeline.FromEnvironment(Environment.GetEnvironmentVariable("OVS_MIRROR_TIMING"), mainTimestamp);
    using var stdin = Console.OpenStandardInput();
    using var stdout = Console.OpenStandardOutput();
    return CniEntryPoint.Run(Environment.GetEnvironmentVariable, stdin, stdout, Console.Error, programName, timeline);
}

return OperatorCli.Run(args, Console.Out, Console.Error);
