using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Webhooks;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

public sealed class WebhooksCliTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Webhooks_add_prints_the_signing_secret_alone_on_the_last_line_stores_it_protected_and_is_audited()
    {
        var (exit, output) = await app.RunCliAsync(WebhooksCli.AddAsync,
            "--url", "https://crm.example/hooks/recordings", "--events", "recording.case_added,hold.placed", "--team", "Reklamacje");

        Assert.Equal(0, exit);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Matches("^whsec_[A-Za-z0-9+/]+={0,2}$", last);
        Assert.Equal(24, Convert.FromBase64String(last["whsec_".Length..]).Length);
        var endpoint = await app.WithDbAsync(db => db.Set<WebhookEndpoint>().SingleAsync(e => e.Url == "https://crm.example/hooks/recordings"));
        Assert.Equal("recording.case_added,hold.placed", endpoint.Events);
        Assert.Equal("Reklamacje", endpoint.Team);
        Assert.True(endpoint.Enabled);
        Assert.DoesNotContain(last["whsec_".Length..], endpoint.ProtectedSecret);

        var entry = await app.WithDbAsync(db => db.AuditLog.SingleAsync(a => a.Action == AuditActions.WebhookCreated && a.Details!.Contains("crm.example/hooks/recordings")));
        Assert.Equal(AuditActor.CommandLine.Name, entry.Actor);
        var details = JsonDocument.Parse(entry.Details!).RootElement;
        Assert.Equal(endpoint.Id, details.GetProperty("endpoint").GetInt32());
        Assert.DoesNotContain("whsec_", entry.Details);

        var (listed, list) = await app.RunCliAsync(WebhooksCli.ListAsync);
        Assert.Equal(0, listed);
        Assert.Contains("https://crm.example/hooks/recordings", list);
        Assert.DoesNotContain(last, list);
    }

    [Theory]
    [InlineData("ftp://crm.example/hooks", "recording.created", "absolute http:// or https://")]
    [InlineData("crm.example/hooks", "recording.created", "absolute http:// or https://")]
    [InlineData("/hooks", "recording.created", "absolute http:// or https://")]
    [InlineData("https://crm.example/refused", "recording.created,recording.exploded", "Unknown event 'recording.exploded'")]
    [InlineData("https://crm.example/refused", "recording.case-added", "Unknown event 'recording.case-added'")]
    public async Task Webhooks_add_refuses_a_bad_url_or_an_unknown_event_clearly_and_stores_nothing(string url, string events, string message)
    {
        var before = await CountsAsync();

        var e = await Assert.ThrowsAsync<CliException>(() => app.RunCliAsync(WebhooksCli.AddAsync, "--url", url, "--events", events));

        Assert.Contains(message, e.Message);
        Assert.Equal(before, await CountsAsync());
    }

    private Task<(int Endpoints, int Audited)> CountsAsync() => app.WithDbAsync(async db =>
        (await db.Set<WebhookEndpoint>().CountAsync(), await db.AuditLog.CountAsync(a => a.Action == AuditActions.WebhookCreated)));
}
