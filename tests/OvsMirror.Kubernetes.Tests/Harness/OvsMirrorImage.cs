using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// An ovs-mirror image as hack/image.sh writes it (a directory holding image.env, the OCI archive and the rendered
/// manifest), read from the archive itself: index.json → manifest → config (its version label) and the one layer
/// (its <c>/usr/bin/ovs-mirror</c>). The oracle for what the DaemonSet installed, independent of the installer
/// and of hack/k8s/deploy's own check.
/// </summary>
public sealed class OvsMirrorImage
{
    private const string BinaryInLayer = "usr/bin/ovs-mirror";

    private OvsMirrorImage(string directory, string reference, string archive, string version, string binarySha256)
    {
        Directory = directory;
        Reference = reference;
        Archive = archive;
        Version = version;
        BinarySha256 = binarySha256;
    }

    public string Directory { get; }

    /// <summary>The image reference, <c>localhost/ovs-mirror:TAG</c>.</summary>
    public string Reference { get; }

    public string Archive { get; }

    /// <summary>The config's <c>org.opencontainers.image.version</c> label: the build line of the binary inside.</summary>
    public string Version { get; }

    /// <summary>sha256 (lower-case hex) of the layer's <c>/usr/bin/ovs-mirror</c>.</summary>
    public string BinarySha256 { get; }

    /// <summary>The rendered deploy/ovs-mirror.yaml for this image (what README tells an admin to apply and delete).</summary>
    public string Manifest => Path.Combine(Directory, "ovs-mirror.yaml");

    public static OvsMirrorImage Load(string directory)
    {
        var envFile = Path.Combine(directory, "image.env");
        if (!File.Exists(envFile))
        {
            throw new InvalidOperationException($"{envFile} is missing: run hack/build.sh --upgrade-peer (hack/test.sh does)");
        }

        var env = File.ReadAllLines(envFile).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var archive = Path.Combine(directory, $"ovs-mirror-{env["TAG"]}.oci.tar");
        var files = ReadTar(File.OpenRead(archive));
        byte[] Blob(string digest) => files[$"blobs/sha256/{digest["sha256:".Length..]}"];

        var index = JsonNode.Parse(files["index.json"])!;
        var manifest = JsonNode.Parse(Blob(index["manifests"]![0]!["digest"]!.GetValue<string>()))!;
        var config = JsonNode.Parse(Blob(manifest["config"]!["digest"]!.GetValue<string>()))!;
        var version = config["config"]!["Labels"]!["org.opencontainers.image.version"]!.GetValue<string>();
        var layers = manifest["layers"]!.AsArray();
        if (layers.Count != 1)
        {
            throw new InvalidOperationException($"{archive}: {layers.Count} layers, hack/image.sh writes one");
        }

        using var gunzip = new GZipStream(new MemoryStream(Blob(layers[0]!["digest"]!.GetValue<string>())), CompressionMode.Decompress);
        var layer = ReadTar(gunzip);
        var binary = layer.TryGetValue(BinaryInLayer, out var b) ? b : throw new InvalidOperationException($"{archive}: no {BinaryInLayer} in its layer");
        return new OvsMirrorImage(directory, env["REF"], archive, version, Convert.ToHexStringLower(SHA256.HashData(binary)));
    }

    public static string Sha256Of(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>Every regular file of a tar stream, by its name without a leading <c>./</c>.</summary>
    private static Dictionary<string, byte[]> ReadTar(Stream stream)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (stream)
        {
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    files[entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name] = copy.ToArray();
                }
            }
        }

        return files;
    }
}
