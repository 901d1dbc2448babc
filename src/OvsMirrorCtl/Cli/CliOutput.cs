namespace OvsMirror.Cli;

/// <summary><c>-o</c>: a table for people (the default) or JSON for scripts.</summary>
internal enum CliOutput
{
    Table,
    Json,
}
