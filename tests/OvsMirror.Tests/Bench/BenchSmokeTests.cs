using OvsMirror.Testing;

namespace OvsMirror.Tests.Bench;

/// <summary>
/// hack/bench must not rot: its smoke mode (tiny sizes, every section: latency, breakdown, sweep, storm,
/// memory, the mount table) runs against real OVS sandboxes and writes its report. No timing is asserted: the numbers of a
/// smoke run on a busy test machine mean nothing.
/// </summary>
public sealed class BenchSmokeTests
{
    [OvsFact]
    public async Task SmokeRun_ExitsZero_AndWritesTheReportAndThePlot()
    {
        var repo = RepoRoot();
        var binary = Path.Combine(repo, "artifacts", "bin", "ovs-mirror");
        File.Exists(binary).Should().BeTrue(
            $"the benchmark measures the published binary, and {binary} is missing: run ./hack/build.sh first (hack/test.sh does)");
        var output = Path.Combine(Path.GetTempPath(), "omb-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // the first run also builds the harness and publishes the NativeAOT hello (slow on 2 cores)
            var run = await ProcessRunner.RunAsync(Path.Combine(repo, "hack", "bench", "run"),
                ["--smoke", "--out", output], TimeSpan.FromMinutes(8));

            run.ExitCode.Should().Be(0, $"hack/bench/run --smoke failed:\n{run.StandardOutput}\n{run.StandardError}");
            var results = Path.Combine(output, "results.md");
            var svg = Path.Combine(output, "latency-vs-db-size.svg");
            File.Exists(results).Should().BeTrue(run.StandardError);
            File.Exists(svg).Should().BeTrue(run.StandardError);
            var md = await File.ReadAllTextAsync(results);
            md.Should().Contain("## Machine").And.Contain("## 1. Latency per call").And.Contain("## 2. Startup breakdown")
                .And.Contain("## 3. Scale sweep").And.Contain("## 4. Storm").And.Contain("## 5. Memory and size")
                .And.Contain("## 6. A node's mount table").And.NotContain("**ERRORS**");
            (await File.ReadAllTextAsync(svg)).Should().StartWith("<svg").And.Contain("ovs-mirror ADD").And.EndWith("</svg>\n");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ovs-mirror.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ovs-mirror.sln not found above " + AppContext.BaseDirectory);
    }
}
