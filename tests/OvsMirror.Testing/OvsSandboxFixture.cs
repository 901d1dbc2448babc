using Xunit;

namespace OvsMirror.Testing;

/// <summary>
/// xunit class fixture: one <see cref="OvsSandbox"/> with ovs-vswitchd (netdev datapath) shared
/// by the tests of a class (<c>IClassFixture&lt;OvsSandboxFixture&gt;</c>). Classes run in parallel,
/// each with its own sandbox. Use it with <see cref="OvsFactAttribute"/> tests: when OVS is missing
/// and <c>OVS_MIRROR_ALLOW_NO_OVS=1</c>, nothing is started and the tests are skipped.
/// </summary>
public sealed class OvsSandboxFixture : IAsyncLifetime
{
    private OvsSandbox? sandbox;

    public OvsSandbox Sandbox => sandbox ?? throw new InvalidOperationException(
        OvsTools.SkipReason() ?? "the OVS sandbox was not started");

    public async Task InitializeAsync()
    {
        if (OvsTools.SkipReason() is not null)
        {
            return; // the [OvsFact] tests of this class are skipped
        }

        sandbox = await OvsSandbox.StartAsync(withVswitchd: true, withNorthbound: false).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            sandbox = null;
        }
    }
}
