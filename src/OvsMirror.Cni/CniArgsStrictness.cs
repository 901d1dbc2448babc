namespace OvsMirror.Cni;

/// <summary>How <see cref="CniArgsParser"/> treats a malformed pair or a key repeated with another value.</summary>
public enum CniArgsStrictness
{
    /// <summary>ADD and CHECK: the problem is code 4 (CNI SPEC §Error, invalid environment variables).</summary>
    Strict,

    /// <summary>DEL, GC and STATUS: the problem is logged and the call goes on (CNI SPEC §DEL: clean up what is possible).</summary>
    Lenient,
}
