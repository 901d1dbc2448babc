namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// The end-to-end tests run one at a time, and not alongside the other test classes: they measure
/// timing (a change must reach an established flow within 1 s) on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup
{
    public const string Name = "EndToEnd";
}
