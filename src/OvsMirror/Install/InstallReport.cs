namespace OvsMirror.Install;

/// <summary>What an install or uninstall did, one line per file, in the order it happened.</summary>
internal sealed class InstallReport
{
    private readonly List<string> _lines = [];

    /// <summary>True when at least one file in the CNI bin dir was written, replaced or removed.</summary>
    public bool Changed { get; private set; }

    public IReadOnlyList<string> Lines => _lines;

    public void Did(string line)
    {
        Changed = true;
        _lines.Add(line);
    }

    public void Kept(string line) => _lines.Add(line);
}
