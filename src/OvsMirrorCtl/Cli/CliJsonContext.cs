using System.Text.Json.Serialization;

namespace OvsMirror.Cli;

/// <summary>The CLI's JSON, source-generated (STYLE.md §7: no reflection, IL2026/IL3050 stay errors).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ListReport))]
[JsonSerializable(typeof(GcReport))]
[JsonSerializable(typeof(Validate.ValidateReport))]
[JsonSerializable(typeof(Doctor.DoctorReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
