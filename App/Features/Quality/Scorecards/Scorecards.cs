using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Quality;

public sealed record ScorecardSummary(int Id, string Name, string? Description, int LatestVersion, int LatestVersionId, bool Archived, int Evaluations, DateTime ChangedAt);

public sealed record ScorecardRevision(Scorecard Scorecard, ScorecardVersion Version, ScorecardForm Form);

/// <summary>
/// Scorecards and their versions. A save that changes the form makes a new version; an unchanged one makes none. Versions
/// are never edited or deleted, so an evaluation always opens with the form it was made with.
/// </summary>
public sealed class Scorecards(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    /// <summary>The demo installation's scorecard, and a sensible starting point for a new one.</summary>
    public static readonly ScorecardForm DemoForm = new(
    [
        new FormSection("Powitanie", 1,
        [
            new FormQuestion("przedstawienie", "Przedstawił się imieniem i nazwą firmy", QuestionKind.YesNo, AllowNotApplicable: false),
            new FormQuestion("weryfikacja", "Zweryfikował tożsamość klienta", QuestionKind.YesNo, Critical: true,
                Guidance: "Przed podaniem danych konta: PESEL lub numer klienta i data urodzenia."),
        ]),
        new FormSection("Rozmowa", 2,
        [
            new FormQuestion("potrzeba", "Rozpoznanie potrzeby", QuestionKind.Scale, Weight: 2),
            new FormQuestion("uprzejmosc", "Rzeczowe i uprzejme odpowiedzi", QuestionKind.Scale),
            new FormQuestion("kolejny-krok", "Ustalony termin / kolejny krok", QuestionKind.Points, MaxPoints: 3),
        ]),
        new FormSection("Zakończenie", 1,
        [
            new FormQuestion("pozegnanie", "Podsumowanie i pożegnanie", QuestionKind.YesNo),
        ]),
    ]);

    public async Task<IReadOnlyList<ScorecardSummary>> ListAsync(bool includeArchived = true, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Scorecards.AsNoTracking().Where(s => includeArchived || !s.Archived)
            .Select(s => new
            {
                s.Id, s.Name, s.Description, s.Archived,
                Latest = s.Versions.OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number, v.CreatedAt }).First(),
                Evaluations = db.Evaluations.Count(e => s.Versions.Select(v => v.Id).Contains(e.ScorecardVersionId)),
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Archived).ThenBy(r => r.Name, StringComparer.CurrentCulture)
            .Select(r => new ScorecardSummary(r.Id, r.Name, r.Description, r.Latest.Number, r.Latest.Id, r.Archived, r.Evaluations, r.Latest.CreatedAt)).ToList();
    }

    public async Task<ScorecardRevision?> LatestAsync(int scorecardId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ScorecardVersions.AsNoTracking().Include(v => v.Scorecard)
            .Where(v => v.ScorecardId == scorecardId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        return version is null ? null : new ScorecardRevision(version.Scorecard!, version, ScorecardForm.FromJson(version.Definition));
    }

    public async Task<ScorecardRevision?> VersionAsync(int versionId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ScorecardVersions.AsNoTracking().Include(v => v.Scorecard).FirstOrDefaultAsync(v => v.Id == versionId, ct);
        return version is null ? null : new ScorecardRevision(version.Scorecard!, version, ScorecardForm.FromJson(version.Definition));
    }

    public async Task<IReadOnlyList<ScorecardVersion>> HistoryAsync(int scorecardId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ScorecardVersions.AsNoTracking().Where(v => v.ScorecardId == scorecardId).OrderByDescending(v => v.Number).ToListAsync(ct);
    }

    /// <summary>Creates a scorecard (id = 0) or saves a new version of one. Returns the latest version, or what was wrong.</summary>
    public async Task<(ScorecardVersion? Version, bool Changed, IReadOnlyList<Problem> Problems)> SaveAsync(
        int scorecardId, string? name, string? description, ScorecardForm form, AuditActor by, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) problems.Add(new("Scorecard_Name", "A scorecard needs a name of 1–200 characters."));
        problems.AddRange(form.Validate());
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (name is { Length: > 0 } && await db.Scorecards.AnyAsync(s => s.Name == name && s.Id != scorecardId, ct))
            problems.Add(new("Scorecard_NameTaken", $"There is already a scorecard called \"{name}\".", name));
        Scorecard? card = null;
        if (scorecardId != 0 && (card = await db.Scorecards.FirstOrDefaultAsync(s => s.Id == scorecardId, ct)) is null)
            problems.Add(new("Scorecard_NotFound", "That scorecard does not exist."));
        if (problems.Count > 0) return (null, false, problems);

        var now = time.GetUtcNow().UtcDateTime;
        var definition = form.ToJson();
        var latest = card is null ? null : await db.ScorecardVersions.Where(v => v.ScorecardId == card.Id).OrderByDescending(v => v.Number).FirstAsync(ct);
        var renamed = card is not null && (card.Name != name || card.Description != NullIfEmpty(description));
        if (latest is not null && latest.Definition == definition && !renamed) return (latest, false, []);

        card ??= db.Scorecards.Add(new Scorecard { Name = name!, CreatedAt = now, CreatedBy = by.Name }).Entity;
        card.Name = name!;
        card.Description = NullIfEmpty(description);
        var version = latest;
        if (latest is null || latest.Definition != definition)
            version = db.ScorecardVersions.Add(new ScorecardVersion
            {
                Scorecard = card, Number = (latest?.Number ?? 0) + 1, Definition = definition, CreatedAt = now, CreatedBy = by.Name,
            }).Entity;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.ScorecardSaved, AuditOutcomes.Success,
            details: AuditLog.Details(new { scorecard = card.Id, name = card.Name, version = version!.Number, questions = form.Questions.Count() }));
        return (version, true, []);
    }

    public async Task<bool> SetArchivedAsync(int scorecardId, bool archived, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var changed = await db.Scorecards.Where(s => s.Id == scorecardId && s.Archived != archived).ExecuteUpdateAsync(s => s.SetProperty(c => c.Archived, archived), ct);
        if (changed > 0)
            await audit.AppendAsync(by, AuditActions.ScorecardArchived, AuditOutcomes.Success, details: AuditLog.Details(new { scorecard = scorecardId, archived }));
        return changed > 0;
    }

    /// <summary>The demo scorecard, on an installation that has none yet.</summary>
    public async Task EnsureDemoAsync(AuditActor by, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
            if (await db.Scorecards.AnyAsync(ct)) return;
        await SaveAsync(0, "Standard obsługi klienta", "Karta do comiesięcznego audytu rozmów z klientami.", DemoForm, by, ct);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
