using OvsMirror.Testing;
using OvsMirror.Tests.EndToEnd;

namespace OvsMirror.Tests.Install;

/// <summary>
/// deploy/ovs-mirror.yaml as hack/image.sh renders it for the image it built. Offline, kubectl's own parser
/// (kustomize) reads it as one DaemonSet; with a cluster (OVS_MIRROR_KUBECONFIG, e.g. the hack/k8s cluster's),
/// the API server validates it in a server-side dry run (admission and schema included, nothing created).
/// </summary>
public sealed class ManifestTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Rendered => Path.Combine(RepoPaths.Root, "artifacts", "image", "ovs-mirror.yaml");

    [Fact]
    public void RenderedManifest_NamesTheBuiltImage_InEveryImageLine()
    {
        var reference = InstallArtifacts.ImageEnv["REF"];
        var images = File.ReadAllLines(Rendered).Select(l => l.Trim()).Where(l => l.StartsWith("image:", StringComparison.Ordinal)).ToList();

        images.Should().HaveCount(2).And.OnlyContain(l => l == "image: " + reference);
        File.ReadAllText(Rendered).Should().NotContain("@TAG@");
    }

    [Fact]
    public async Task RenderedManifest_ParsesAsOneDaemonSetInKubeSystem()
    {
        using var scratch = new ScratchDirectory();
        File.Copy(Rendered, scratch["ovs-mirror.yaml"]);
        File.WriteAllText(scratch["kustomization.yaml"], "resources:\n  - ovs-mirror.yaml\n");

        var run = await ProcessRunner.RunCheckedAsync(OvsTools.Require("kubectl"), ["kustomize", scratch.Path], Timeout);

        run.StandardOutput.Should().Contain("kind: DaemonSet").And.Contain("namespace: kube-system").And.Contain("name: ovs-mirror");
    }

    [ClusterFact]
    public async Task RenderedManifest_PassesAServerSideDryRun()
    {
        var kubeconfig = Environment.GetEnvironmentVariable(ClusterFactAttribute.KubeconfigVariable)!;
        var run = await ProcessRunner.RunCheckedAsync(OvsTools.Require("kubectl"),
            ["--kubeconfig", kubeconfig, "apply", "--dry-run=server", "-f", Rendered], Timeout);

        run.StandardOutput.Should().Contain("daemonset.apps/ovs-mirror").And.Contain("(server dry run)");
    }
}
