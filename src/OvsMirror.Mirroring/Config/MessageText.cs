namespace OvsMirror.Mirroring.Config;

/// <summary>
/// Decides what of a config value an error message may show. A config can hold secrets (STYLE.md §9), so messages
/// name key paths and show numbers; a string only when it is short and word-like, as a typo of an enum word
/// (<c>src_prot</c>) or of a key (<c>ingres</c>) is. Mirror names are identifiers, not secrets, and are shown as they are.
/// </summary>
internal static class MessageText
{
    private const int MaxWordLength = 24;

    /// <summary>True when <paramref name="text"/> is short and made of ASCII letters, digits, '_' and '-'.</summary>
    public static bool IsWord(string text)
    {
        if (text.Length is 0 or > MaxWordLength)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value in quotes when it is word-like, else a placeholder.</summary>
    public static string Word(string text) => IsWord(text) ? "\"" + text + "\"" : "the value";

    /// <summary>The path of <paramref name="key"/> inside <paramref name="path"/>, or null when the key is not word-like.</summary>
    public static string? KeyPath(string path, string key) => IsWord(key) ? path + "." + key : null;
}
