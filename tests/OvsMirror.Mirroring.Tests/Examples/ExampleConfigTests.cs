using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Mirroring.Ovn;
using OvsMirror.Mirroring.Tests.Config;

namespace OvsMirror.Mirroring.Tests.Examples;

/// <summary>
/// cni-conf-examples stays true: every conflist parses to the mirrors its README row promises, every cni-args file
/// does so when injected into its conflist as Multus would, and every NAD's config and every annotation's cni-args in
/// the YAML equal those files. Naming (cni-conf-examples/README.md): <c>CASE.yaml</c>, <c>CASE-NAD.conflist</c>,
/// <c>CASE-NAD.POD.IFNAME.cni-args.json</c>; a cni-args file belongs to the conflist named by its part before the first '.'.
/// </summary>
public sealed class ExampleConfigTests
{
    /// <summary>How many example files there are (README.md aside). A new file needs a README row and raises this.</summary>
    private const int ExpectedFileCount = 70;

    private const string ConflistSuffix = ".conflist";
    private const string CniArgsSuffix = ".cni-args.json";
    private const string YamlSuffix = ".yaml";

    private static readonly IReadOnlyDictionary<string, ReadmeRow> Readme = ReadmeRow.ReadAll();

    public static TheoryData<string> Conflists() => new(ExampleDirectory.Files(ConflistSuffix));

    public static TheoryData<string> CniArgsFiles() => new(ExampleDirectory.Files(CniArgsSuffix));

    public static TheoryData<string> YamlFiles() => new(ExampleDirectory.Files(YamlSuffix));

    [Theory]
    [MemberData(nameof(Conflists))]
    public void Conflist_ParsesToTheMirrorsOfItsReadmeRow(string file)
    {
        var conflist = ReadJson(file).AsObject();
        var plugins = conflist["plugins"]!.AsArray();
        if (plugins.FirstOrDefault(p => IsOvsMirror(p) && p!["backend"]?.GetValue<string>() == "ovn") is { } ovn)
        {
            // The Kube-OVN chain: kube-ovn makes the pod's LSP, ovs-mirror works on it in OVN Northbound.
            plugins[0]!["type"]!.GetValue<string>().Should().Be("kube-ovn");
            var raw = ovn.DeepClone().AsObject();
            raw["cniVersion"] = conflist["cniVersion"]!.DeepClone();
            raw["name"] = conflist["name"]!.DeepClone();
            MirrorBackends.Select(new OvsMirror.Cni.NetworkConfig { CniVersion = "0.3.1", Name = "attachnet", Type = "ovs-mirror", Raw = raw }).Name.Should().Be("ovn");
            MirrorDescription.Of(OvnConfigParser.Parse(raw, null).Mirrors).Should().Be(Readme[file].Mirrors);
            return;
        }

        plugins[0]!["type"]!.GetValue<string>().Should().Be("ovs", "the chain starts with ovs-cni's attachment plugin");
        var mirrorPlugins = plugins.Where(IsOvsMirror).ToList();
        string promised = Readme[file].Mirrors;

        if (promised == "no ovs-mirror")
        {
            mirrorPlugins.Should().BeEmpty();
            return;
        }

        var plugin = mirrorPlugins.Should().ContainSingle().Which!.AsObject();
        var parsed = ParseAsTheRuntimeWould(conflist, plugin, cniArgs: null);

        MirrorDescription.Of(parsed.Mirrors).Should().Be(promised);
        parsed.Bridge.Should().Be(plugins[0]!["bridge"]!.GetValue<string>(), "ovs-mirror works on the bridge ovs attached to");
        parsed.OvsCniCompat.Should().Be(TypeOf(plugin) != "ovs-mirror");
    }

    [Theory]
    [MemberData(nameof(CniArgsFiles))]
    public void CniArgs_InjectedIntoItsConflist_ParsesToTheMirrorsOfItsReadmeRow(string file)
    {
        string conflistFile = file[..file.IndexOf('.', StringComparison.Ordinal)] + ConflistSuffix;
        File.Exists(ExampleDirectory.File(conflistFile)).Should().BeTrue($"{file} belongs to {conflistFile}");
        var conflist = ReadJson(conflistFile).AsObject();
        var plugin = conflist["plugins"]!.AsArray().Where(IsOvsMirror).Should().ContainSingle().Which!.AsObject();
        var cniArgs = ReadJson(file);
        string promised = Readme[file].Mirrors;

        if (promised == "refused 101")
        {
            var act = () => ParseAsTheRuntimeWould(conflist, plugin, cniArgs);
            act.Should().ThrowExactly<CniException>().Which.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
            return;
        }

        var parsed = ParseAsTheRuntimeWould(conflist, plugin, cniArgs);

        MirrorDescription.Of(parsed.Mirrors).Should().Be(promised);
        parsed.Mirrors.Should().NotBeEmpty().And.OnlyContain(m => m.Source == ConfigSource.PodArgs);
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Yaml_NadConfigsAndPodCniArgs_EqualTheirFiles(string file)
    {
        string exampleCase = file[..^YamlSuffix.Length];
        var documents = ManifestDocument.ReadAll(ExampleDirectory.File(file));
        var nads = documents.Where(d => d.Kind == ManifestDocument.NadKind).ToList();
        nads.Should().NotBeEmpty();

        foreach (var nad in nads)
        {
            string conflistFile = $"{exampleCase}-{nad.Name}{ConflistSuffix}";
            var config = JsonNode.Parse(nad.Blocks["config"]);
            JsonNode.DeepEquals(config, ReadJson(conflistFile)).Should().BeTrue($"NAD {nad.Name} of {file} must equal {conflistFile}");
            config!["name"]!.GetValue<string>().Should().Be(nad.Name);
        }

        foreach (var (document, network) in Networks(documents))
        {
            string nadName = network["name"]!.GetValue<string>();
            nads.Should().Contain(n => n.Name == nadName, $"{document.Name} attaches to a NAD of {file}");
            if (network["cni-args"] is { } cniArgs)
            {
                string cniArgsFile = CniArgsFileOf(exampleCase, document, network);
                JsonNode.DeepEquals(cniArgs, ReadJson(cniArgsFile)).Should().BeTrue($"{document.Name}'s cni-args must equal {cniArgsFile}");
            }
        }
    }

    [Fact]
    public void EveryExampleFile_BelongsToAManifest_AndHasAReadmeRow()
    {
        var files = ExampleDirectory.Files();
        var claimed = new List<string>();
        foreach (string yaml in ExampleDirectory.Files(YamlSuffix))
        {
            string exampleCase = yaml[..^YamlSuffix.Length];
            var documents = ManifestDocument.ReadAll(ExampleDirectory.File(yaml));
            claimed.Add(yaml);
            claimed.AddRange(documents.Where(d => d.Kind == ManifestDocument.NadKind).Select(d => $"{exampleCase}-{d.Name}{ConflistSuffix}"));
            claimed.AddRange(Networks(documents).Where(x => x.Network["cni-args"] is not null)
                .Select(x => CniArgsFileOf(exampleCase, x.Document, x.Network)));
        }

        // Each file is one of the three kinds the theories above cover, and each is claimed exactly once.
        files.Should().OnlyContain(f => f.EndsWith(YamlSuffix, StringComparison.Ordinal)
            || f.EndsWith(ConflistSuffix, StringComparison.Ordinal) || f.EndsWith(CniArgsSuffix, StringComparison.Ordinal));
        claimed.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(files);
        Readme.Keys.Should().BeEquivalentTo(files);
        Readme.Values.Should().OnlyContain(r => r.What.Length > 0 && r.Mirrors.Length > 0);
        files.Should().HaveCount(ExpectedFileCount);
        (Conflists().Count + CniArgsFiles().Count + YamlFiles().Count).Should().Be(ExpectedFileCount);
    }

    private static IEnumerable<(ManifestDocument Document, JsonObject Network)> Networks(List<ManifestDocument> documents) =>
        from document in documents
        where document.Blocks.ContainsKey(ManifestDocument.NetworksAnnotation)
        from network in JsonNode.Parse(document.Blocks[ManifestDocument.NetworksAnnotation])!.AsArray()
        select (document, network!.AsObject());

    private static string CniArgsFileOf(string exampleCase, ManifestDocument document, JsonObject network) =>
        $"{exampleCase}-{network["name"]!.GetValue<string>()}.{document.Name}.{network["interface"]!.GetValue<string>()}{CniArgsSuffix}";

    /// <summary>
    /// The plugin's stdin as libcni builds it from a conflist (CNI SPEC §Section 3: cniVersion and name are copied
    /// into each plugin's config) and as Multus adds a pod's cni-args (<c>args.cni</c>); run as the binary named by type.
    /// </summary>
    private static PluginConfig ParseAsTheRuntimeWould(JsonObject conflist, JsonObject plugin, JsonNode? cniArgs)
    {
        var raw = plugin.DeepClone().AsObject();
        raw["cniVersion"] = conflist["cniVersion"]!.DeepClone();
        raw["name"] = conflist["name"]!.DeepClone();
        JsonObject? args = null;
        if (cniArgs is not null)
        {
            args = new JsonObject { ["cni"] = cniArgs.DeepClone() };
            raw["args"] = args;
        }

        string type = TypeOf(plugin);
        var config = new NetworkConfig
        {
            CniVersion = raw["cniVersion"]!.GetValue<string>(),
            Name = raw["name"]!.GetValue<string>(),
            Type = type,
            Raw = raw,
            ArgsObject = args,
        };
        return PluginConfigParser.Parse(config, "/opt/cni/bin/" + type);
    }

    private static bool IsOvsMirror(JsonNode? plugin) => TypeOf(plugin!).StartsWith("ovs-mirror", StringComparison.Ordinal);

    private static string TypeOf(JsonNode plugin) => plugin["type"]!.GetValue<string>();

    private static JsonNode ReadJson(string file) => JsonNode.Parse(File.ReadAllText(ExampleDirectory.File(file)))!;
}
