using System.Text.Json.Nodes;

namespace OvsMirror.Cni;

/// <summary>
/// What a plugin implements; <see cref="CniDispatcher"/> does the protocol around it and answers VERSION itself.
/// Throw <see cref="CniException"/> with a CNI code where an error is raised.
/// Synchronous on purpose: a CNI call lives a few milliseconds and every step of it runs in order, while any real
/// async I/O or timer in a NativeAOT process starts the thread pool (about 3 ms each time). Block on I/O; honour
/// <c>cancellationToken</c> (the deadline) by checking it between steps and by bounding blocking waits.
/// </summary>
public interface ICniPlugin
{
    /// <summary>
    /// CNI SPEC §ADD. Returns the result to print. A chained plugin must pass <c>prevResult</c> on
    /// (see <see cref="CniResult.PassThrough"/>).
    /// </summary>
    JsonObject Add(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC §DEL. Must succeed when the resources are already gone.</summary>
    void Del(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC §CHECK. Returns normally when the attachment is as <c>prevResult</c> and the config say.</summary>
    void Check(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC 1.1 §STATUS. Returns normally when ready for ADD; else throws code 50 or 51.</summary>
    void Status(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC 1.1 §GC. Removes resources of attachments not in <see cref="NetworkConfig.ValidAttachments"/>.</summary>
    void Gc(CniRequest request, CancellationToken cancellationToken);
}
