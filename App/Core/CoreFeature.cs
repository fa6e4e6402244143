namespace NagrywanieRozmow.Core;

public static class CoreFeature
{
    /// <summary>The services every feature uses: the audit log and the interactive page's client address.</summary>
    public static IHostApplicationBuilder AddCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CircuitClient>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitClientHandler>();
        return builder;
    }
}
