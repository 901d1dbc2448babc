using OvsMirror;

// Only this file touches the process boundary (STYLE.md §6). kubelet sets CNI_COMMAND; an operator does not.
var programName = Path.GetFileName(Environment.GetCommandLineArgs()[0]);
if (Environment.GetEnvironmentVariable("CNI_COMMAND") is not null)
{
    // CNI mode skips System.CommandLine entirely: every pod start pays for what runs here.
    using var stdin = Console.OpenStandardInput();
    using var stdout = Console.OpenStandardOutput();
    return CniEntryPoint.Run(Environment.GetEnvironmentVariable, stdin, stdout, Console.Error, programName);
}

return OperatorCli.Run(args, Console.Out, Console.Error);
