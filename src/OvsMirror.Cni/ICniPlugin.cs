using System.Text.Json.Nodes;

namespace OvsMirror.Cni;

/// <summary>
/// What a plugin implements; <see cref="CniDispatcher"/> does the protocol around it and answers VERSION itself.
/// Throw <see cref="CniException"/> with a CNI code where an error is raised.
/// </summary>
public interface ICniPlugin
{
    /// <summary>
    /// CNI SPEC §ADD. Returns the result to print. A chained plugin must pass <c>prevResult</c> on
    /// (see <see cref="CniResult.PassThrough"/>).
    /// </summary>
    Task<JsonObject> AddAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC §DEL. Must succeed when the resources are already gone.</summary>
    Task DelAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC §CHECK. Returns normally when the attachment is as <c>prevResult</c> and the config say.</summary>
    Task CheckAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC 1.1 §STATUS. Returns normally when ready for ADD; else throws code 50 or 51.</summary>
    Task StatusAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CNI SPEC 1.1 §GC. Removes resources of attachments not in <see cref="NetworkConfig.ValidAttachments"/>.</summary>
    Task GcAsync(CniRequest request, CancellationToken cancellationToken);
}
