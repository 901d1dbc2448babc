namespace OvsMirror.Mirroring.Tests.Examples;

/// <summary>
/// One row of the Files table of cni-conf-examples/README.md: <c>| `FILE` | what it does | Mirrors |</c>.
/// The Mirrors column is in <see cref="Config.MirrorDescription"/> notation, or "none", "no ovs-mirror",
/// "refused 101" or "—".
/// </summary>
internal sealed class ReadmeRow
{
    private ReadmeRow(string file, string what, string mirrors)
    {
        File = file;
        What = what;
        Mirrors = mirrors;
    }

    public string File { get; }

    public string What { get; }

    public string Mirrors { get; }

    /// <summary>The rows of the README, by file name; a file listed twice is an error.</summary>
    public static IReadOnlyDictionary<string, ReadmeRow> ReadAll()
    {
        var rows = new Dictionary<string, ReadmeRow>(StringComparer.Ordinal);
        foreach (string line in System.IO.File.ReadAllLines(ExampleDirectory.File(ExampleDirectory.ReadmeName)))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            string[] cells = line.Split('|');
            if (cells.Length != 5)
            {
                throw new FormatException($"README row has {cells.Length - 2} cells, not 3: {line}");
            }

            var row = new ReadmeRow(cells[1].Trim().Trim('`'), cells[2].Trim(), cells[3].Trim());
            rows.Add(row.File, row);
        }

        return rows;
    }
}
