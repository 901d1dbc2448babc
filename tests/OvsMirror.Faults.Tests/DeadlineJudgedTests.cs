namespace OvsMirror.Faults.Tests;

/// <summary>
/// The tests whose outcome includes "ended within timeoutMs (plus slack)": they run alone, after the parallel ones, so
/// that a storm of another test class on the same 2 cores cannot starve the in-process plugin past its slack (CI once
/// saw a silent-server ADD/DEL/CHECK take 2.1-3.6 s against 1.5 s of timeoutMs while fault storms ran beside it,
/// and STATUS and GC, after them, 1.5 s).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeadlineJudgedTests
{
    public const string Name = "deadline-judged";
}
