using OvsMirror;

// Only this file touches the process boundary (STYLE.md §6).
return CtlCli.Run(args, Console.Out, Console.Error);
