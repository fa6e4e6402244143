using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Demo;

public static class DemoFeature
{
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder) => builder;

    public static Task SeedDemoIfConfiguredAsync(this IHost app) => Task.CompletedTask;
}

internal static class SeedDemoCli
{
    public static Task<int> RunAsync(IServiceProvider services, CliArgs args, TextWriter output) =>
        throw new CliException("not built yet.");
}
