using System.Globalization;
using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// A second real runtime: podman 4.3 with its CNI backend runs the same example chains from a private plugin
/// directory (ovs = hack/ovs-attach, ovs-mirror = the binary). Everything podman keeps lives in the sandbox dir:
/// containers.conf (network_backend "cni", runc, cgroupfs, file events), vfs storage, --tmpdir; the image is a
/// static busybox imported with `podman import` (no registry). Pod IPs go in as CNI_ARGS IP=, which podman
/// appends to its own CNI_ARGS. The consumer's capture runs in the container's netns (podman's SandboxKey).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class PodmanTests(ITestOutputHelper output)
{
    private const string Image = "localhost/ovs-mirror-e2e-busybox:1";
    private static readonly TimeSpan PodmanTimeout = TimeSpan.FromSeconds(90);

    [PodmanFact]
    public async Task PodmanContainers_ProducerAndConsumerOnTheExampleNetworks_ConsumerSeesTheProducersPackets()
    {
        const string Prod = "10.100.0.1", Peer = "10.100.0.9";
        await using var bed = await CniTestbed.StartAsync(output);
        var podman = await Podman.StartAsync(bed);
        try
        {
            podman.AddNetwork(bed.SandboxConflist("nad-tc2-ovs-vlan100-prod-mir-1-prod-mir-2.conflist"));
            podman.AddNetwork(bed.SandboxConflist("nad-tc2-ovs-cons-mir-1.conflist"));
            podman.AddNetwork(bed.SandboxConflist(bed.PlainPortConflist("peer-vlan100", vlan: 100)));
            (await podman.RunAsync(null, "network", "ls", "--format", "{{.Name}}")).StandardOutput
                .Should().Contain("ovs-vlan100-prod-mir-1-prod-mir-2").And.Contain("ovs-cons-mir-1");

            await podman.RunCheckedAsync(null, "run", "-d", "--name", "cons", "--network", "ovs-cons-mir-1", Image, "sleep", "600");
            await podman.RunCheckedAsync(Peer + "/24", "run", "-d", "--name", "peer", "--network", "peer-vlan100", Image, "sleep", "600");
            await podman.RunCheckedAsync(
                Prod + "/24", "run", "-d", "--name", "prod", "--network", "ovs-vlan100-prod-mir-1-prod-mir-2", Image, "sleep", "600");

            (await OvsdbOracle.UuidsAsync(bed, "mirror-1", "select_src_port")).Should().HaveCount(1, "the producer container's port");
            (await OvsdbOracle.UuidsAsync(bed, "mirror-1", "output_port")).Should().HaveCount(1, "the consumer container's port");
            (await OvsdbOracle.UuidsAsync(bed, "mirror-2", "select_src_port")).Should().HaveCount(1);

            var consNetns = (await podman.RunCheckedAsync(null, "inspect", "-f", "{{.NetworkSettings.SandboxKey}}", "cons")).StandardOutput.Trim();
            var consumer = new Pod("cons", Path.GetFileName(consNetns), "cons");
            var capture = await bed.CaptureAsync(consumer, "eth0");
            var ping = await podman.RunAsync(null, "exec", "prod", "ping", "-c", "3", Peer);
            ping.StandardOutput.Should().Contain("3 packets received", "ping inside the producer container: {0}", ping.StandardError);
            await capture.ShouldSeeExactlyAsync(
                bed, new Dictionary<string, int> { [Echo(Prod, Peer, request: true)] = 3 }, [], "podman");

            // podman rm runs the chains' DEL
            await podman.RunCheckedAsync(null, "rm", "-f", "-t", "0", "prod", "cons", "peer");
            await bed.NoMirrorShouldBeLeftAsync();
            (await bed.PortsAsync()).Should().BeEmpty("DEL of every container removed its port");
        }
        finally
        {
            await podman.DisposeAsync();
        }
    }

    /// <summary>podman with every piece of state in one directory of the sandbox.</summary>
    private sealed class Podman(CniTestbed bed, string dir) : IAsyncDisposable
    {
        private readonly string netDir = Path.Combine(dir, "net.d");

        public static async Task<Podman> StartAsync(CniTestbed bed)
        {
            var dir = Path.Combine(bed.Sandbox.Directory, "podman");
            var p = new Podman(bed, dir);
            foreach (var d in new[] { dir, p.netDir, Path.Combine(dir, "tmp"), Path.Combine(dir, "rootfs", "bin") })
            {
                Directory.CreateDirectory(d);
            }

            File.WriteAllText(Path.Combine(dir, "containers.conf"), $"""
                [containers]
                # this machine forbids raising rlimits; podman's defaults (1048576) would fail in runc
                default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                runtime = "runc"
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["{bed.BinDir}"]
                network_config_dir = "{p.netDir}"
                """);
            File.WriteAllText(Path.Combine(dir, "storage.conf"), $"""
                [storage]
                driver = "vfs"
                runroot = "{Path.Combine(dir, "runroot")}"
                graphroot = "{Path.Combine(dir, "root")}"
                """);

            // a static busybox is the whole image
            var rootfs = Path.Combine(dir, "rootfs");
            File.Copy(PodmanFactAttribute.StaticBusybox, Path.Combine(rootfs, "bin", "busybox"));
            foreach (var applet in new[] { "sh", "ping", "sleep", "ip", "cat" })
            {
                File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
            }

            var tar = Path.Combine(dir, "rootfs.tar");
            await ProcessRunner.RunCheckedAsync(OvsTools.Require("tar"), ["-C", rootfs, "-cf", tar, "."], PodmanTimeout);
            await p.RunCheckedAsync(null, "import", tar, Image);
            return p;
        }

        public void AddNetwork(string conflist) => File.Copy(conflist, Path.Combine(netDir, Path.GetFileName(conflist)), overwrite: true);

        /// <summary>podman with this directory's config; <paramref name="ip"/> becomes CNI_ARGS IP= for the chain.</summary>
        public Task<ProcessResult> RunAsync(string? ip, params string[] args)
        {
            var env = new Dictionary<string, string>
            {
                ["CONTAINERS_CONF"] = Path.Combine(dir, "containers.conf"),
                ["CONTAINERS_STORAGE_CONF"] = Path.Combine(dir, "storage.conf"),
                ["OVS_ATTACH_SWITCH_NETNS"] = bed.Sandbox.VswitchdNetns,
            };
            if (ip is not null)
            {
                env["CNI_ARGS"] = "IP=" + ip; // podman appends the CNI_ARGS of its environment to its own
            }

            return ProcessRunner.RunAsync(OvsTools.Require("podman"), ["--tmpdir", Path.Combine(dir, "tmp"), .. args], PodmanTimeout, env);
        }

        public async Task<ProcessResult> RunCheckedAsync(string? ip, params string[] args)
        {
            var r = await RunAsync(ip, args);
            bed.Log(string.Create(CultureInfo.InvariantCulture, $"podman {string.Join(' ', args)}: exit {r.ExitCode} in {r.Elapsed.TotalMilliseconds:0} ms"));
            return r.EnsureSuccess();
        }

        /// <summary>Removes every container of this private store (their DELs run); the store goes with the sandbox dir.</summary>
        public async ValueTask DisposeAsync() => await RunAsync(null, "rm", "-a", "-f", "-t", "0");
    }
}
