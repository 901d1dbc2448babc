using Xunit;

namespace OvsMirror.Testing;

/// <summary>
/// xunit class fixture: an ovsdb-server-only <see cref="OvsSandbox"/> (Open_vSwitch database with
/// no ovs-vswitchd, so <c>ovs-vsctl</c> runs with <c>--no-wait</c>) plus an OVN Northbound
/// ovsdb-server. Fast (≈50 ms) and needs no netns: for OVSDB protocol and mirror-row tests.
/// </summary>
public sealed class OvsdbSandboxFixture : IAsyncLifetime
{
    private OvsSandbox? sandbox;

    public OvsSandbox Sandbox => sandbox ?? throw new InvalidOperationException(
        OvsTools.SkipReason(northbound: true, vswitchd: false) ?? "the OVS sandbox was not started");

    public async Task InitializeAsync()
    {
        if (OvsTools.SkipReason(northbound: true, vswitchd: false) is not null)
        {
            return; // the [OvsFact] tests of this class are skipped
        }

        sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true).ConfigureAwait(false);
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
