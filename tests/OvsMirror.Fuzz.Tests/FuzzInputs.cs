namespace OvsMirror.Fuzz.Tests;

/// <summary>The files of corpus/TARGET/ and crashes/TARGET/ copied next to the tests (from tests/OvsMirror.Fuzz).</summary>
internal static class FuzzInputs
{
    public static IEnumerable<string> Files(string kind, string target)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, kind, target);
        return Directory.Exists(dir) ? Directory.GetFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal) : [];
    }

    public static string RelativeName(string file) => Path.GetRelativePath(AppContext.BaseDirectory, file);
}
