using Microsoft.AspNetCore.Components.Server.Circuits;

namespace NagrywanieRozmow.Core;

/// <summary>
/// Where an interactive page's user connects from, for the audit log: pages rendered over a Blazor circuit have no
/// HttpContext of their own, so the address of the circuit's connection is taken when it comes up.
/// </summary>
public sealed class CircuitClient
{
    public string? Ip { get; internal set; }
}

internal sealed class CircuitClientHandler(CircuitClient client, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        client.Ip = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? client.Ip;
        return Task.CompletedTask;
    }
}
