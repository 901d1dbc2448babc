using System.Text.Json;

namespace OvsMirror.Cni;

/// <summary>
/// Finds the first key that appears twice in one JSON object. The DOM parser refuses such input
/// (<see cref="JsonDocumentOptions.AllowDuplicateProperties"/> false) without saying where; this walks the same bytes
/// once more, only on that failure path, to give its position.
/// </summary>
internal static class DuplicateKeyLocator
{
    /// <summary>The 1-based line of the repeated key, and its 1-based byte within that line; null if there is none.</summary>
    public static (long Line, long Byte)? Find(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var open = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        open.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        open.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        string key = reader.GetString()!;
                        if (!open.Peek().Add(key))
                        {
                            return Position(utf8Json, reader.TokenStartIndex);
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed elsewhere: the caller reports that instead.
        }

        return null;
    }

    private static (long Line, long Byte) Position(ReadOnlySpan<byte> utf8Json, long offset)
    {
        var before = utf8Json[..(int)offset];
        int lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, offset - lastNewline);
    }
}
