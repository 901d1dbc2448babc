using System.Buffers;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni;

/// <summary>
/// Runs one CNI invocation, like Go's skel: reads the protocol parameters and stdin, checks them for the command,
/// calls the plugin, and writes the result or the error (CNI SPEC §Section 2 and §Section 5).
/// The process boundary is injected and nothing is static, so many dispatchers may run at once in one process.
/// stdout carries only protocol JSON; logs go to stderr; stdin is never echoed (a config can hold secrets).
/// </summary>
public sealed class CniDispatcher
{
    /// <summary>CNI SPEC §Error: codes from 100 up are the plugin's own.</summary>
    private const int FirstPluginCode = 100;

    private readonly Func<string, string?> _getenv;
    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private readonly TextWriter _stderr;
    private readonly string _programName;

    /// <param name="getenv">Reads one environment variable; returns null when it is not set.</param>
    /// <param name="stdin">The network configuration (CNI SPEC §Section 2).</param>
    /// <param name="stdout">Receives the result or error JSON, and nothing else.</param>
    /// <param name="stderr">Receives the log.</param>
    /// <param name="programName">argv[0]; its basename reaches the plugin as <see cref="CniRequest.ProgramName"/>.</param>
    public CniDispatcher(Func<string, string?> getenv, Stream stdin, Stream stdout, TextWriter stderr, string programName)
    {
        ArgumentNullException.ThrowIfNull(getenv);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(programName);
        _getenv = getenv;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
        _programName = System.IO.Path.GetFileName(programName);
    }

    /// <summary>
    /// Called with a phase name ("stdin", "parsed", "plugin", "output") as each phase ends, for an
    /// opt-in startup breakdown. Null (the default) costs one check per phase.
    /// </summary>
    public Action<string>? PhaseCompleted { get; set; }

    /// <summary>
    /// Runs the command named by CNI_COMMAND. Returns the exit status: 0 on success, 1 after writing an error.
    /// A <see cref="CniException"/> keeps its code; cancellation (the deadline) and timeouts are code 11;
    /// anything else is code 999 with the exception's message.
    /// Synchronous, like the plugin it calls: no task, timer or thread-pool work is started here.
    /// </summary>
    public int Run(ICniPlugin plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        string version = CniVersion.Latest;
        string commandName = "CNI";
        try
        {
            var command = CniEnvironment.ReadCommand(_getenv);
            commandName = CniCommandName.Of(command);
            var stdin = CniStdinReader.Read(_stdin, cancellationToken);
            PhaseCompleted?.Invoke("stdin");

            if (command == CniCommand.Version)
            {
                // CNI SPEC §VERSION: stdin holds at most {"cniVersion"}. Answer in that version when we speak it;
                // a newer or missing one (or undecodable stdin) must not stop a runtime from learning what we support.
                var buffer = new ArrayBufferWriter<byte>();
                CniOutputWriter.WriteVersion(buffer, PeekVersion(stdin.Span) ?? CniVersion.Latest);
                WriteStdout(buffer);
                return 0;
            }

            var root = NetworkConfigParser.ParseObject(stdin.Span);
            version = NetworkConfigParser.PeekSupportedVersion(root) ?? CniVersion.Latest;
            string warningPrefix = $"{_programName}: {commandName}: warning: ";
            var environment = CniEnvironment.Read(_getenv, command, message => _stderr.WriteLine(warningPrefix + message));
            var config = NetworkConfigParser.Bind(root, command);
            var request = new CniRequest
            {
                Command = command,
                ContainerId = environment.ContainerId,
                Netns = environment.Netns,
                IfName = environment.IfName,
                Path = environment.Path,
                Args = environment.Args,
                ProgramName = _programName,
                NetworkConfig = config,
            };
            PhaseCompleted?.Invoke("parsed");

            cancellationToken.ThrowIfCancellationRequested();
            switch (command)
            {
                case CniCommand.Add:
                    var result = plugin.Add(request, cancellationToken);
                    PhaseCompleted?.Invoke("plugin");
                    WriteAddResult(result, config);
                    PhaseCompleted?.Invoke("output");
                    break;
                case CniCommand.Del:
                    plugin.Del(request, cancellationToken);
                    break;
                case CniCommand.Check:
                    plugin.Check(request, cancellationToken);
                    break;
                case CniCommand.Status:
                    plugin.Status(request, cancellationToken);
                    break;
                case CniCommand.Gc:
                    plugin.Gc(request, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"no handler for {commandName}");
            }

            return 0;
        }
        catch (CniException e)
        {
            _stderr.WriteLine($"{_programName}: {commandName}: error {e.Code}: {e.Message}");
            return Fail(version, e.Code, e.Message, DetailsNamingPluginCode(e));
        }
        catch (OperationCanceledException e)
        {
            string message = cancellationToken.IsCancellationRequested
                ? "the deadline expired before the operation completed"
                : "the operation was cancelled";
            _stderr.WriteLine($"{_programName}: {commandName}: error {CniErrorCode.TryAgainLater}: {message}: {e.Message}");
            return Fail(version, CniErrorCode.TryAgainLater, message, null);
        }
        catch (TimeoutException e)
        {
            _stderr.WriteLine($"{_programName}: {commandName}: error {CniErrorCode.TryAgainLater}: {e.Message}");
            return Fail(version, CniErrorCode.TryAgainLater, e.Message, null);
        }
#pragma warning disable CA1031 // The dispatcher is the one place that turns the unexpected into code 999.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _stderr.WriteLine($"{_programName}: {commandName}: unexpected {e.GetType().FullName}: {e.Message}");
            _stderr.WriteLine(e.StackTrace);
            return Fail(version, CniErrorCode.Generic, e.Message, e.GetType().FullName);
        }
    }

    private static string? PeekVersion(ReadOnlySpan<byte> stdin)
    {
        try
        {
            return NetworkConfigParser.PeekSupportedVersion(NetworkConfigParser.ParseObject(stdin));
        }
        catch (CniException)
        {
            return null;
        }
    }

    private void WriteAddResult(JsonObject? result, NetworkConfig config)
    {
        if (result is null)
        {
            throw new InvalidOperationException("the plugin returned no ADD result");
        }

        // CNI SPEC §Success: a result carries its cniVersion. Fill it in when the plugin left it out.
        if (!result.ContainsKey("cniVersion"))
        {
            result["cniVersion"] = config.CniVersion;
        }

        // Serialize fully before writing, so a failure cannot leave half a result on stdout.
        var buffer = new ArrayBufferWriter<byte>();
        CniOutputWriter.WriteResult(buffer, result);
        WriteStdout(buffer);
    }

    /// <summary>
    /// A code of the plugin's own (CNI SPEC §Error: 100 and up) without details gets details that name it:
    /// libcni reports a failed plugin as <c>msg; details</c> and drops <c>code</c>, so containerd's error, and
    /// kubelet's FailedCreatePodSandBox event, would otherwise not say which of our errors it was.
    /// </summary>
    private string? DetailsNamingPluginCode(CniException e) =>
        e.Details is null && e.Code >= FirstPluginCode ? $"{_programName} error code {e.Code}" : e.Details;

    private int Fail(string version, int code, string message, string? details)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CniOutputWriter.WriteError(buffer, version, code, message, details);
        try
        {
            WriteStdout(buffer);
        }
        catch (IOException e)
        {
            _stderr.WriteLine($"{_programName}: cannot write the error to stdout: {e.Message}");
        }

        return 1;
    }

    private void WriteStdout(ArrayBufferWriter<byte> buffer)
    {
        // Synchronous and not cancellable: a few hundred bytes to a pipe. Once the work is done (or failed),
        // the runtime must hear about it; and an async write of a console stream would start the thread pool
        // (see CniStdinReader).
        _stdout.Write(buffer.WrittenSpan);
        _stdout.Flush();
    }
}
