using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using OvsMirror.Tests.EndToEnd;

namespace OvsMirror.Tests.Install;

/// <summary>
/// Issue 11 §2: the OCI archive hack/image.sh writes. It is reproducible (two builds from the same binary and
/// sysroot are the same bytes), and podman loads it under its tag with the manifest digest hack/image.sh
/// reported, runs its installer into a host directory and runs its idle main process, which stops on SIGTERM;
/// containerd (<c>ctr images import</c>, as on a node) imports it under the same name and digest.
/// podman keeps all its state in a scratch directory (vfs storage), so nothing of the machine's podman is touched.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class ImageArchiveTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TwoBuildsOfTheImage_FromTheSameInputs_AreTheSameBytes()
    {
        using var scratch = new ScratchDirectory();
        var digests = new List<string>();
        foreach (var name in new[] { "a", "b" })
        {
            var run = await ProcessRunner.RunCheckedAsync(Path.Combine(RepoPaths.Root, "hack", "image.sh"), [], Timeout,
                new Dictionary<string, string> { ["OVS_MIRROR_IMAGE_OUT"] = scratch[name] });
            var archive = Directory.GetFiles(scratch[name], "*.oci.tar").Single();
            digests.Add(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive))));
            run.StandardOutput.Should().Contain("manifest sha256:");
        }

        digests[1].Should().Be(digests[0]);
    }

    [PodmanFact]
    public async Task Podman_LoadsTheArchive_RunsTheInstaller_AndThePauseStopsOnSigterm()
    {
        var image = InstallArtifacts.ImageEnv;
        using var scratch = new ScratchDirectory();
        var podman = new PrivatePodman(scratch.Path);
        try
        {
            await LoadInstallAndPauseAsync(podman, image, scratch);
        }
        finally
        {
            await podman.RunAsync("rm", "-a", "-f", "-t", "0");   // also when the test failed half way: no container outlives it
            await podman.RunAsync("rmi", "-a", "-f");
        }
    }

    private static async Task LoadInstallAndPauseAsync(PrivatePodman podman, IReadOnlyDictionary<string, string> image, ScratchDirectory scratch)
    {
        (await podman.RunCheckedAsync("load", "-i", image["ARCHIVE"])).StandardOutput.Should().Contain("Loaded image: " + image["REF"]);
        var listed = await podman.RunCheckedAsync("images", "--digests", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}");
        listed.StandardOutput.Trim().Should().Be($"{image["REF"]} {image["MANIFEST_DIGEST"]}");

        var hostBin = scratch["host-opt-cni-bin"];
        Directory.CreateDirectory(hostBin);
        var install = await podman.RunCheckedAsync("run", "--rm", "--network", "none", "-v", hostBin + ":/host/opt/cni/bin",
            image["REF"], "install", "--cni-bin-dir", "/host/opt/cni/bin");
        install.StandardOutput.Should().Contain("installed ovs-mirror");
        File.ReadAllBytes(Path.Combine(hostBin, "ovs-mirror")).Should().Equal(File.ReadAllBytes(InstallArtifacts.Binary));
        new FileInfo(Path.Combine(hostBin, "ovs-mirror-producer")).LinkTarget.Should().Be("ovs-mirror");
        var version = await ProcessRunner.RunCheckedAsync(Path.Combine(hostBin, "ovs-mirror-consumer"), [], Timeout,
            new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, "{\"cniVersion\":\"1.0.0\"}");
        JsonNode.Parse(version.StandardOutput)!["cniVersion"]!.GetValue<string>().Should().Be("1.0.0");

        var id = (await podman.RunCheckedAsync("run", "-d", "--network", "none", image["REF"])).StandardOutput.Trim();
        (await podman.RunCheckedAsync("inspect", "--format", "{{.State.Running}}", id)).StandardOutput.Trim().Should().Be("true");
        await podman.RunCheckedAsync("stop", "--time", "60", id);   // SIGTERM; SIGKILL only after 60 s
        (await podman.RunCheckedAsync("inspect", "--format", "{{.State.ExitCode}}", id)).StandardOutput.Trim()
            .Should().Be("0", "pause exits 0 on SIGTERM (a SIGKILL after the grace period would be 137)");
    }

    [ContainerdFact]
    public async Task Containerd_ImportsTheArchive_UnderItsNameAndManifestDigest()
    {
        var image = InstallArtifacts.ImageEnv;
        using var scratch = new ScratchDirectory();
        await using var containerd = await PrivateContainerd.StartAsync(scratch.Path);

        // what a node admin runs: kubelet's containerd keeps its images in the k8s.io namespace
        var import = await containerd.CtrAsync("-n", "k8s.io", "images", "import", image["ARCHIVE"]);
        import.EnsureSuccess().StandardOutput.Should().Contain($"unpacking {image["REF"]} ({image["MANIFEST_DIGEST"]})...done");
        var list = (await containerd.CtrAsync("-n", "k8s.io", "images", "ls", "-q")).EnsureSuccess();
        list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(image["REF"]);
        var check = (await containerd.CtrAsync("-n", "k8s.io", "images", "check")).EnsureSuccess();
        check.StandardOutput.Should().Contain(image["REF"]).And.Contain("complete").And.Contain(image["MANIFEST_DIGEST"]);
    }

    /// <summary>podman with its storage, runtime state and config in one scratch directory.</summary>
    private sealed class PrivatePodman
    {
        private readonly string dir;
        private readonly Dictionary<string, string> env;

        public PrivatePodman(string dir)
        {
            this.dir = dir;
            File.WriteAllText(Path.Combine(dir, "containers.conf"), """
                [containers]
                # this machine forbids raising rlimits; podman's defaults (1048576) would fail in runc
                default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                runtime = "runc"
                """);
            File.WriteAllText(Path.Combine(dir, "storage.conf"), $"""
                [storage]
                driver = "vfs"
                runroot = "{Path.Combine(dir, "runroot")}"
                graphroot = "{Path.Combine(dir, "root")}"
                """);
            Directory.CreateDirectory(Path.Combine(dir, "tmp"));
            env = new Dictionary<string, string>
            {
                ["CONTAINERS_CONF"] = Path.Combine(dir, "containers.conf"),
                ["CONTAINERS_STORAGE_CONF"] = Path.Combine(dir, "storage.conf"),
            };
        }

        public Task<ProcessResult> RunAsync(params string[] args) =>
            ProcessRunner.RunAsync(OvsTools.Require("podman"), ["--tmpdir", Path.Combine(dir, "tmp"), .. args], Timeout, env);

        public Task<ProcessResult> RunCheckedAsync(params string[] args) =>
            ProcessRunner.RunCheckedAsync(OvsTools.Require("podman"), ["--tmpdir", Path.Combine(dir, "tmp"), .. args], Timeout, env);
    }
}
