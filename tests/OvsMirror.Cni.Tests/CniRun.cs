using System.Text;

namespace OvsMirror.Cni.Tests;

/// <summary>
/// One in-process CNI invocation: an environment dictionary, stdin bytes, and MemoryStreams for the output.
/// Nothing here touches the process's environment or console, so tests run in parallel.
/// </summary>
internal sealed class CniRun
{
    public const string ContainerId = "c0ffee-pod_1.a";
    public const string IfName = "net1";
    public const string Netns = "/var/run/netns/cni-test";
    public const string CniPath = "/opt/cni/bin";

    private CniRun(byte[] stdin)
    {
        Stdin = stdin;
    }

    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    public byte[] Stdin { get; set; }

    public string ProgramName { get; set; } = "/opt/cni/bin/ovs-mirror";

    /// <summary>A run of <paramref name="command"/> with every parameter a runtime would pass for it.</summary>
    public static CniRun For(string command, string? config)
    {
        var run = new CniRun(config is null ? [] : Encoding.UTF8.GetBytes(config));
        run.Env["CNI_COMMAND"] = command;
        if (command is "ADD" or "DEL" or "CHECK")
        {
            run.Env["CNI_CONTAINERID"] = ContainerId;
            run.Env["CNI_NETNS"] = Netns;
            run.Env["CNI_IFNAME"] = IfName;
        }

        if (command is not "VERSION")
        {
            run.Env["CNI_PATH"] = CniPath;
        }

        return run;
    }

    /// <summary>A run of <paramref name="command"/> with every CNI_* parameter set, needed or not.</summary>
    public static CniRun WithEveryVariable(string command, string? config) =>
        For(command, config)
            .With("CNI_CONTAINERID", ContainerId)
            .With("CNI_NETNS", Netns)
            .With("CNI_IFNAME", IfName)
            .With("CNI_PATH", CniPath);

    public CniRun Without(string variable)
    {
        Env.Remove(variable);
        return this;
    }

    public CniRun With(string variable, string value)
    {
        Env[variable] = value;
        return this;
    }

    public CniOutcome Run(ICniPlugin plugin, CancellationToken cancellationToken = default)
    {
        using var stdin = new MemoryStream(Stdin, writable: false);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var env = new Dictionary<string, string>(Env, StringComparer.Ordinal);
        var dispatcher = new CniDispatcher(
            name => env.TryGetValue(name, out var value) ? value : null,
            stdin,
            stdout,
            stderr,
            ProgramName);

        int exitCode = dispatcher.Run(plugin, cancellationToken);
        return new CniOutcome(exitCode, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
