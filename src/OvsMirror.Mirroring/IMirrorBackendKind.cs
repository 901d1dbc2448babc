using OvsMirror.Cni;

namespace OvsMirror.Mirroring;

/// <summary>One backend as the registry (<see cref="MirrorBackends"/>) knows it: its <c>backend</c> word, its keys, its parser.</summary>
internal interface IMirrorBackendKind
{
    /// <summary>The value of <c>backend</c> that selects it.</summary>
    string Name { get; }

    /// <summary>Top-level keys only this backend reads: another backend's config that holds one is refused.</summary>
    IReadOnlyList<string> ExclusiveKeys { get; }

    /// <param name="programName">argv[0] (or its basename).</param>
    IMirrorBackendConfig Parse(NetworkConfig config, string programName, ConfigPurpose purpose);
}
