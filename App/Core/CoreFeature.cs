namespace NagrywanieRozmow.Core;

public static class CoreFeature
{
    /// <summary>The services every feature uses: the audit log, the interactive page's client address and the panel's public address.</summary>
    public static IHostApplicationBuilder AddCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddOptions<PublicUrlOptions>().BindConfiguration("App").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CircuitClient>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitClientHandler>();
        return builder;
    }
}
