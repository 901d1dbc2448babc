using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// xunit class fixture of <see cref="BadInputTests"/>: one ovsdb-server with br1 (ports prod1, cons1) and br2
/// (port other1). Bad input must change nothing, so one database serves every case; each case compares a dump of
/// the whole database before and after its call (the tests of one class run one at a time).
/// </summary>
public sealed class BadInputSandbox : IAsyncLifetime
{
    private OvsSandbox? sandbox;

    public OvsSandbox Sandbox => sandbox ?? throw new InvalidOperationException(
        OvsTools.SkipReason(vswitchd: false) ?? "the OVS sandbox was not started");

    internal PluginHarness Plugin => new(Sandbox);

    public async Task InitializeAsync()
    {
        if (OvsTools.SkipReason(vswitchd: false) is not null)
        {
            return; // the [OvsTheory] tests of the class are skipped
        }

        sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-br", "br2");
        await sandbox.AddPortsAsync("br1", "prod1", "cons1");
        await sandbox.AddPortsAsync("br2", "other1");
    }

    public async Task DisposeAsync()
    {
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync();
            sandbox = null;
        }
    }
}
