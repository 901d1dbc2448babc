using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Ovsdb;
using static OvsMirror.Mirroring.Config.ConfigValueReader;

using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Turns the plugin's stdin config into a validated <see cref="PluginConfig"/> (DESIGN §2), the one place that does so.
/// A bad config is a <see cref="CniException"/> with code 7 (CNI SPEC §Error) whose message names the offending key
/// by path; a pod request its NAD does not allow is code 101 (<see cref="PluginErrorCode.PodArgsNotAllowed"/>).
/// Messages never show config values other than numbers, enum words and mirror names: a config can hold secrets.
/// Top-level keys this plugin does not know are left alone: CNI configs carry others (ipam, capabilities, prevResult).
/// </summary>
internal static class PluginConfigParser
{
    /// <summary>ovs-cni's producer plugin name (DESIGN §2, "ovs-cni compatibility").</summary>
    public const string ProducerCompatName = "ovs-mirror-producer";

    /// <summary>ovs-cni's consumer plugin name (DESIGN §2, "ovs-cni compatibility").</summary>
    public const string ConsumerCompatName = "ovs-mirror-consumer";

    /// <summary>The smallest and largest <c>timeoutMs</c>.</summary>
    public const int MinTimeoutMs = CommonLimits.MinTimeoutMs;

    public const int MaxTimeoutMs = CommonLimits.MaxTimeoutMs;

    private const string PodMirrorsPath = "args.cni.mirrors";

    /// <summary>Parses the plugin keys of <paramref name="config"/>.</summary>
    /// <param name="config">The parsed stdin.</param>
    /// <param name="programName">argv[0] (or its basename): ovs-cni's plugin names select the ovs-cni schema.</param>
    public static PluginConfig Parse(NetworkConfig config, string programName)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Parse(config.Raw, config.ArgsObject, config.Type, programName);
    }

    /// <summary>Parses the plugin keys of <paramref name="raw"/>.</summary>
    /// <param name="raw">The whole stdin config.</param>
    /// <param name="args">Its <c>args</c> object; when null, <c>args</c> is read from <paramref name="raw"/>.</param>
    /// <param name="type">The config's <c>type</c>.</param>
    /// <param name="programName">argv[0] (or its basename).</param>
    public static PluginConfig Parse(JsonObject raw, JsonObject? args, string type, string programName)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(programName);

        var schema = ResolveSchema(type, programName);
        bool compat = schema != ConfigSchema.OvsMirror;

        string bridge = RequiredNonEmptyString(raw, "bridge", "bridge");
        var endpoint = ReadEndpoint(raw, compat);
        var policy = ReadPodArgsPolicy(raw);
        if (compat && policy.AllowPodArgs)
        {
            throw Invalid($"allowPodArgs is not part of the ovs-cni {SchemaName(schema)} schema: ovs-cni takes no cni-args");
        }

        var flowRevalidation = ReadFlowRevalidation(raw);
        string? vswitchdCtl = OptionalNonEmptyString(raw, "vswitchdCtl", "vswitchdCtl");
        var timeout = ReadTimeout(raw);

        var requests = MirrorEntryParser.ParseList(Get(raw, "mirrors"), "mirrors", schema, ConfigSource.Nad);
        requests.AddRange(ReadPodMirrors(raw, args, schema, policy));

        return new PluginConfig(
            bridge,
            endpoint,
            policy,
            MirrorRequestMerger.Merge(requests),
            flowRevalidation,
            vswitchdCtl,
            timeout,
            compat,
            ReadFlowRevalidationTimeout(raw));
    }

    /// <summary>
    /// Parses only what DEL, STATUS and GC need to reach OVSDB (bridge, socket_file, flowRevalidation,
    /// flowRevalidationTimeoutMs, vswitchdCtl, timeoutMs) and leaves <see cref="PluginConfig.Mirrors"/> empty: cleanup works from what ADD recorded, and must
    /// not fail on a mirror entry or a pod request that ADD would refuse (CNI SPEC §DEL: complete a DEL without error
    /// even if resources are missing). The pod-args policy keys are not read (<see cref="PodArgsPolicy.Closed"/>).
    /// It takes the same <paramref name="programName"/> as <see cref="Parse(NetworkConfig, string)"/>: a config that ADD
    /// accepted under a name (ovs-cni's empty <c>socket_file</c> as ovs-mirror-producer, say) must be accepted by the
    /// cleanup of the same name, or the pod's DEL fails for ever.
    /// </summary>
    /// <param name="config">The network configuration.</param>
    /// <param name="programName">argv[0] (or its basename).</param>
    public static PluginConfig ParseForCleanup(NetworkConfig config, string programName)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ParseForCleanup(config.Raw, config.Type, programName);
    }

    /// <inheritdoc cref="ParseForCleanup(NetworkConfig, string)"/>
    public static PluginConfig ParseForCleanup(JsonObject raw, string type, string programName)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(programName);

        bool compat = ResolveSchema(type, programName) != ConfigSchema.OvsMirror;
        return new PluginConfig(
            RequiredNonEmptyString(raw, "bridge", "bridge"),
            ReadEndpoint(raw, compat),
            PodArgsPolicy.Closed,
            [],
            ReadFlowRevalidation(raw),
            OptionalNonEmptyString(raw, "vswitchdCtl", "vswitchdCtl"),
            ReadTimeout(raw),
            compat,
            ReadFlowRevalidationTimeout(raw));
    }

    private static TimeSpan ReadFlowRevalidationTimeout(JsonObject raw) => TimeSpan.FromMilliseconds(
        OptionalInteger(raw, "flowRevalidationTimeoutMs", "flowRevalidationTimeoutMs", 1, 60_000)
            ?? (int)PluginConfig.DefaultFlowRevalidationTimeout.TotalMilliseconds);

    private static TimeSpan ReadTimeout(JsonObject raw) => TimeSpan.FromMilliseconds(
        OptionalInteger(raw, "timeoutMs", "timeoutMs", MinTimeoutMs, MaxTimeoutMs)
            ?? (int)PluginConfig.DefaultTimeout.TotalMilliseconds);

    /// <summary>
    /// DESIGN §2: the ovs-cni schemas apply when the binary runs as ovs-mirror-producer/-consumer (a symlink), or the
    /// config's type names one of them. The program name wins; the two must not name different compat plugins.
    /// </summary>
    private static ConfigSchema ResolveSchema(string type, string programName)
    {
        var fromProgram = SchemaOf(Path.GetFileName(programName));
        var fromType = SchemaOf(type);
        if (fromProgram != ConfigSchema.OvsMirror && fromType != ConfigSchema.OvsMirror && fromProgram != fromType)
        {
            throw Invalid($"type {SchemaName(fromType)} does not match the program name {SchemaName(fromProgram)}");
        }

        return fromProgram != ConfigSchema.OvsMirror ? fromProgram : fromType;
    }

    private static ConfigSchema SchemaOf(string name) => name switch
    {
        ProducerCompatName => ConfigSchema.OvsCniProducer,
        ConsumerCompatName => ConfigSchema.OvsCniConsumer,
        _ => ConfigSchema.OvsMirror,
    };

    private static string SchemaName(ConfigSchema schema) => schema switch
    {
        ConfigSchema.OvsCniProducer => ProducerCompatName,
        ConfigSchema.OvsCniConsumer => ConsumerCompatName,
        _ => "ovs-mirror",
    };

    /// <summary>
    /// <c>socket_file</c>, as ovs-cni reads it: unix:PATH, tcp:HOST:PORT or a bare absolute path. ovs-cni takes an
    /// empty string as its default, so the ovs-cni schemas do too. The reason from <see cref="OvsdbEndpoint.TryParse"/>
    /// quotes the value; that quote is cut out.
    /// </summary>
    private static OvsdbEndpoint ReadEndpoint(JsonObject raw, bool compat)
    {
        string? text = OptionalString(raw, "socket_file", "socket_file");
        if (text is null || (compat && text.Length == 0))
        {
            text = PluginConfig.DefaultSocketFile;
        }

        if (OvsdbEndpoint.TryParse(text, out var endpoint, out var reason))
        {
            return endpoint;
        }

        throw Invalid("socket_file" + WithoutValue(reason, text));
    }

    /// <summary>The reason with the quoted value removed, starting with ' ' or ':'.</summary>
    private static string WithoutValue(string reason, string value)
    {
        foreach (string shown in new[] { value, "unix:" + value })
        {
            reason = reason.Replace("\"" + shown + "\"", string.Empty, StringComparison.Ordinal);
        }

        reason = reason.Trim();

        // Anything still quoted, or the value itself, means the reason echoes the value in a form not cut out above.
        // (A value of a few characters may well be a word of the reason itself, such as "unix:".)
        if (reason.Contains('"', StringComparison.Ordinal) ||
            (value.Length > 5 && reason.Contains(value, StringComparison.Ordinal)))
        {
            reason = "is not unix:PATH or tcp:HOST:PORT";
        }

        return reason.StartsWith(':') ? reason : " " + reason;
    }

    /// <summary>DESIGN §1: the NAD opts in to pod mirrors and may restrict their names and roles.</summary>
    private static PodArgsPolicy ReadPodArgsPolicy(JsonObject raw)
    {
        bool allow = OptionalBool(raw, "allowPodArgs", "allowPodArgs") ?? false;

        List<string>? mirrors = null;
        if (OptionalArray(raw, "allowedPodMirrors", "allowedPodMirrors") is { } mirrorArray)
        {
            if (mirrorArray.Count == 0)
            {
                throw Invalid("allowedPodMirrors must not be empty; leave it out to allow any mirror name");
            }

            mirrors = new List<string>(mirrorArray.Count);
            for (int i = 0; i < mirrorArray.Count; i++)
            {
                string path = $"allowedPodMirrors[{i}]";
                string pattern = ReadString(mirrorArray[i], path);
                if (pattern.Length == 0)
                {
                    throw Invalid($"{path} must not be empty");
                }

                int star = pattern.IndexOf('*', StringComparison.Ordinal);
                if (star >= 0 && star != pattern.Length - 1)
                {
                    throw Invalid($"{path}: '*' may only end a pattern (a name prefix such as ids-*)");
                }

                mirrors.Add(pattern);
            }
        }

        List<MirrorRole>? roles = null;
        if (OptionalArray(raw, "allowedPodRoles", "allowedPodRoles") is { } roleArray)
        {
            if (roleArray.Count == 0)
            {
                throw Invalid("allowedPodRoles must not be empty; leave it out to allow both roles");
            }

            roles = new List<MirrorRole>(roleArray.Count);
            for (int i = 0; i < roleArray.Count; i++)
            {
                string path = $"allowedPodRoles[{i}]";
                string word = ReadString(roleArray[i], path);
                roles.Add(word switch
                {
                    "producer" => MirrorRole.Producer,
                    "consumer" => MirrorRole.Consumer,
                    _ => throw Invalid($"{path}: {MessageText.Word(word)} is not one of producer, consumer"),
                });
            }
        }

        return new PodArgsPolicy(allow, mirrors, roles);
    }

    /// <summary>DESIGN §4: how a Mirror change reaches flows already in the datapath.</summary>
    private static FlowRevalidation ReadFlowRevalidation(JsonObject raw)
    {
        string? word = OptionalString(raw, "flowRevalidation", "flowRevalidation");
        return word switch
        {
            null or "purge" => FlowRevalidation.Purge,
            "none" => FlowRevalidation.None,
            _ => throw Invalid($"flowRevalidation: {MessageText.Word(word)} is not one of purge, none"),
        };
    }

    /// <summary>
    /// DESIGN §1, cni-args approach: Multus passes the pod's cni-args as <c>args.cni</c>. Only <c>mirrors</c> is ours;
    /// other keys of <c>args.cni</c> belong to other plugins of the chain. A request the NAD does not allow is refused
    /// with code 101, never dropped.
    /// </summary>
    private static List<MirrorRequest> ReadPodMirrors(JsonObject raw, JsonObject? args, ConfigSchema schema, PodArgsPolicy policy)
    {
        args ??= OptionalObject(raw, "args", "args");
        var cni = args is null ? null : OptionalObject(args, "cni", "args.cni");
        var node = cni is null ? null : Get(cni, "mirrors");
        if (node is null)
        {
            return [];
        }

        if (schema != ConfigSchema.OvsMirror)
        {
            throw new CniException(
                PluginErrorCode.PodArgsNotAllowed,
                $"the pod asked for mirrors through cni-args ({PodMirrorsPath}) but {SchemaName(schema)} " +
                "(the ovs-cni schema) takes no cni-args");
        }

        if (!policy.AllowPodArgs)
        {
            throw new CniException(
                PluginErrorCode.PodArgsNotAllowed,
                $"the pod asked for mirrors through cni-args ({PodMirrorsPath}) but this network does not set allowPodArgs");
        }

        var requests = MirrorEntryParser.ParseList(node, PodMirrorsPath, schema, ConfigSource.PodArgs);
        for (int i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (!policy.AllowsMirror(request.Name))
            {
                throw new CniException(
                    PluginErrorCode.PodArgsNotAllowed,
                    $"{PodMirrorsPath}[{i}]: mirror {request.Name} is not in allowedPodMirrors of this network");
            }

            if (request.Remote is not null)
            {
                // A pod must not be able to send copies of traffic to an address of its choosing.
                throw new CniException(
                    PluginErrorCode.PodArgsNotAllowed,
                    $"{PodMirrorsPath}[{i}]: mirror {request.Name} asks for a remote output, which only the NAD may configure");
            }

            if (!policy.AllowsRole(request.Role))
            {
                string role = request.Role == MirrorRole.Producer ? "producer" : "consumer";
                throw new CniException(
                    PluginErrorCode.PodArgsNotAllowed,
                    $"{PodMirrorsPath}[{i}]: mirror {request.Name} asks for the {role} role, which allowedPodRoles of this network does not include");
            }
        }

        return requests;
    }
}
