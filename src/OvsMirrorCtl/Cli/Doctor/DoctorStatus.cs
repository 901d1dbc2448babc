using System.Text.Json.Serialization;

namespace OvsMirror.Cli.Doctor;

/// <summary>The verdict of one doctor check (JSON: pass, warn, fail).</summary>
internal enum DoctorStatus
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>Works, but something a user would want to know or fix.</summary>
    [JsonStringEnumMemberName("warn")]
    Warn,

    /// <summary>ovs-mirror cannot work as configured (doctor exits 3).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
