using NagrywanieRozmow;
using NagrywanieRozmow.Components;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.ApiDocs;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Backup;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Evidence;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Features.Watches;
using NagrywanieRozmow.Features.Transcripts;
using NagrywanieRozmow.Features.Webhooks;
using NagrywanieRozmow.Shared;
using NagrywanieRozmow.Shared.Jobs;
using NagrywanieRozmow.Shared.Localization;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Security;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Telemetry;
using NagrywanieRozmow.Shared.Time;

var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentSettingsFromRepositoryRoot();

builder.AddTelemetry();
builder.AddTime();
builder.AddDatabase();
builder.AddCore();
builder.AddRecordingStore();
builder.AddMedia();
builder.AddAccess();
builder.AddSecurity();
builder.AddLocalizationFeature();
builder.AddRecordings();
builder.AddCalls();
builder.AddPlayback();
builder.AddIngestion();
builder.AddRetention();
builder.AddEvidence();
builder.AddQuality();
builder.AddWatches();
builder.AddWebhooks();
builder.AddTranscripts();
builder.AddJobs();
builder.AddDemo();
builder.AddBackup();
builder.AddApiDocs();
builder.AddUserInterface();

var app = builder.Build();

if (CliVerbs.IsCliInvocation(args))
{
    return await CliVerbs.RunAsync(app, args);
}

await app.MigrateDatabaseAsync();
await app.SeedDemoIfConfiguredAsync();
await app.RenormalizeNumbersIfSettingsChangedAsync();
await app.RereadStoredRecordingsIfRulesChangedAsync();

app.UseSecurity();
app.UseStatusCodePagesForProblems();
app.UseRequestLocalizationFeature();
app.UseAuthentication();
app.UseSecurityChecks();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealth();
app.MapAccess();
app.MapLocalization();
app.MapRecordings();
app.MapCalls();
app.MapAudit();
app.MapPlayback();
app.MapIngestion();
app.MapRetention();
app.MapEvidence();
app.MapQuality();
app.MapWatches();
app.MapJobs();
app.MapApiDocs();
app.MapUserInterface();

app.Run();
return 0;

public partial class Program;
