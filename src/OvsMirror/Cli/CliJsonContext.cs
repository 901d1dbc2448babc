using System.Text.Json.Serialization;

namespace OvsMirror.Cli;

/// <summary>The CLI's JSON, source-generated (STYLE.md §7: no reflection, IL2026/IL3050 stay errors).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ListReport))]
[JsonSerializable(typeof(GcReport))]
[JsonSerializable(typeof(Validate.ValidateReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
