using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.2.7 (comment): recorded in the server's log with the transaction; changes nothing.</summary>
public sealed class CommentOperation(string comment) : OvsdbOperation
{
    public override string Op => "comment";

    public string Comment { get; } = comment;

    private protected override void WriteMembers(Utf8JsonWriter writer) => writer.WriteString("comment", Comment);
}
