namespace OvsMirror.Mirroring.Tests.Examples;

/// <summary>
/// One document of a YAML manifest of cni-conf-examples, read line by line (no YAML library): its kind, its
/// metadata.name, and its block scalars (<c>key: |-</c>) by key, dedented. Enough for NADs' <c>config</c> and
/// Deployments' <c>k8s.v1.cni.cncf.io/networks</c> annotation, which is all the examples hold.
/// </summary>
internal sealed class ManifestDocument
{
    public const string NadKind = "NetworkAttachmentDefinition";

    public const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";

    private ManifestDocument(string kind, string name, IReadOnlyDictionary<string, string> blocks)
    {
        Kind = kind;
        Name = name;
        Blocks = blocks;
    }

    public string Kind { get; }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Blocks { get; }

    /// <summary>The documents of the file, split at <c>---</c> lines; comment lines are skipped.</summary>
    public static List<ManifestDocument> ReadAll(string path)
    {
        var documents = new List<ManifestDocument>();
        var lines = new List<string>();
        foreach (string line in File.ReadAllLines(path).Append("---"))
        {
            if (line == "---")
            {
                if (lines.Count > 0)
                {
                    documents.Add(Parse(lines));
                }

                lines.Clear();
            }
            else if (!line.StartsWith('#'))
            {
                lines.Add(line);
            }
        }

        return documents;
    }

    private static ManifestDocument Parse(List<string> lines)
    {
        string? kind = null;
        string? name = null;
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            if (line.StartsWith("kind: ", StringComparison.Ordinal))
            {
                kind = line["kind: ".Length..].Trim();
            }
            else if (line == "metadata:" && i + 1 < lines.Count && lines[i + 1].StartsWith("  name: ", StringComparison.Ordinal))
            {
                name = lines[i + 1]["  name: ".Length..].Trim();
            }
            else if (line.TrimEnd().EndsWith(": |-", StringComparison.Ordinal))
            {
                int indent = Indent(line);
                string key = line.Trim()[..^": |-".Length];
                var block = new List<string>();
                while (i + 1 < lines.Count && (lines[i + 1].Trim().Length == 0 || Indent(lines[i + 1]) > indent))
                {
                    block.Add(lines[++i]);
                }

                int blockIndent = block.Where(l => l.Trim().Length > 0).Min(Indent);
                blocks.Add(key, string.Join("\n", block.Select(l => l.Length >= blockIndent ? l[blockIndent..] : "")));
            }
        }

        return new ManifestDocument(
            kind ?? throw new FormatException("a document without kind"),
            name ?? throw new FormatException($"a {kind} without metadata.name"),
            blocks);
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
