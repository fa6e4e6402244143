namespace NagrywanieRozmow.Features.Backup;

public static class BackupFeature
{
    /// <summary>Backup and restore of a SQLite installation, run by the `backup` and `restore` verbs (no page, no endpoint).</summary>
    public static IHostApplicationBuilder AddBackup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<SqliteBackup>();
        return builder;
    }
}
