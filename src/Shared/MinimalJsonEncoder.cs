using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace OvsMirror.Json;

/// <summary>
/// Escapes in a JSON string what RFC 8259 §7 requires, the quotation mark, the reverse solidus and U+0000-U+001F (with
/// the two-character forms where §7 has them), and the other control characters, U+007F-U+009F. Everything else,
/// non-ASCII included, is written as UTF-8: OVSDB and CNI output are no HTML context. For ASCII this is exactly what
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> wrote; unlike it, format characters (U+200B-U+200F,
/// U+202A-U+202E, U+2028, U+2029, U+FEFF) and unassigned code points pass through as themselves. The plugin's own
/// config reader refuses control characters in names (ConfigValueReader.ReadString).
/// </summary>
/// <remarks>
/// Why not <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (or no encoder, which means
/// <see cref="JavaScriptEncoder.Default"/>): both live in one class whose static constructor fills a bitmap of all
/// 65,536 BMP code points, about 0.15 ms of every CNI call (issue 14, perf over ADD+DEL). Invalid UTF-16 or UTF-8
/// is reported as needing encoding, so the base encoder writes U+FFFD for it and the output stays valid UTF-8.
/// Shared source: compiled into OvsMirror.Cni and OvsMirror.Ovsdb, which do not reference each other.
/// </remarks>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    private MinimalJsonEncoder()
    {
    }

    public static MinimalJsonEncoder Instance { get; } = new();

    /// <summary><c>\u001F</c>: six characters.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => MustEscape(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var chars = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            if (MustEscape(c))
            {
                return i;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 == chars.Length || !char.IsLowSurrogate(chars[i + 1]))
                {
                    return i;
                }

                i++;
            }
        }

        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var i = 0;
        while (i < utf8Text.Length)
        {
            byte b = utf8Text[i];
            if (b < 0x80)
            {
                if (MustEscape(b))
                {
                    return i;
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8Text[i..], out var rune, out int consumed) != OperationStatus.Done || MustEscape(rune.Value))
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        if (!MustEscape(unicodeScalar))
        {
            // Not escaped: the scalar itself, one or two UTF-16 code units.
            if (!Rune.TryCreate(unicodeScalar, out var rune))
            {
                numberOfCharactersWritten = 0;
                return false;
            }

            return rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }

        char shortForm = unicodeScalar switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\f' => 'f',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            return TryWrite(destination, ['\\', shortForm], out numberOfCharactersWritten);
        }

        // RFC 8259 §7: "\u" and four hexadecimal digits; every other escaped scalar is below U+00A0.
        ReadOnlySpan<char> hex = "0123456789ABCDEF";
        return TryWrite(destination, ['\\', 'u', '0', '0', hex[unicodeScalar >> 4], hex[unicodeScalar & 0xF]],
            out numberOfCharactersWritten);
    }

    private static bool MustEscape(int scalar) => scalar < 0x20 || scalar == '"' || scalar == '\\' || scalar is >= 0x7F and <= 0x9F;

    private static bool TryWrite(Span<char> destination, ReadOnlySpan<char> escape, out int written)
    {
        if (escape.TryCopyTo(destination))
        {
            written = escape.Length;
            return true;
        }

        written = 0;
        return false;
    }
}
