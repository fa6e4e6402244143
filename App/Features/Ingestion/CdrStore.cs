using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>One Master.csv row as kept in our database: recordings are linked to it by uniqueid or linkedid.</summary>
public sealed class CallDetailRecord
{
    public long Id { get; set; }
    public string? UniqueId { get; set; }
    public string? LinkedId { get; set; }
    public required string Source { get; set; }
    public required string Destination { get; set; }
    public required string Context { get; set; }
    public required string DestinationChannel { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationSeconds { get; set; }
    public int BillSeconds { get; set; }
    public required string Disposition { get; set; }
    public DateTime ReadAt { get; set; }
}

/// <summary>How far a CDR file has been read, so a restart goes on where it stopped (and a rotated file starts over).</summary>
public sealed class CdrCursor
{
    public required string Path { get; set; }
    public long Offset { get; set; }
    public long Lines { get; set; }

    /// <summary>SHA-256 of the file's first line: a different first line means the file was rotated or replaced.</summary>
    public string? Head { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A CDR line that could not be read, kept for the Ingestion page.</summary>
public sealed class CdrProblem
{
    public long Id { get; set; }
    public required string Path { get; set; }
    public long LineNumber { get; set; }
    public required string Reason { get; set; }
    public required string Line { get; set; }
    public DateTime At { get; set; }
}

internal sealed class CdrConfiguration : IEntityTypeConfiguration<CallDetailRecord>, IEntityTypeConfiguration<CdrCursor>, IEntityTypeConfiguration<CdrProblem>
{
    public void Configure(EntityTypeBuilder<CallDetailRecord> e)
    {
        e.ToTable("CdrRecords");
        e.Property(c => c.UniqueId).HasMaxLength(100);
        e.Property(c => c.LinkedId).HasMaxLength(100);
        e.Property(c => c.Source).HasMaxLength(80);
        e.Property(c => c.Destination).HasMaxLength(80);
        e.Property(c => c.Context).HasMaxLength(80);
        e.Property(c => c.DestinationChannel).HasMaxLength(120);
        e.Property(c => c.Disposition).HasMaxLength(32);
        e.HasIndex(c => c.UniqueId);
        e.HasIndex(c => c.LinkedId);
        // The call history's retention (Retention:CallRecordDays) deletes rows by age.
        e.HasIndex(c => c.StartedAt);
    }

    public void Configure(EntityTypeBuilder<CdrCursor> e)
    {
        e.ToTable("CdrCursors");
        e.HasKey(c => c.Path);
        e.Property(c => c.Path).HasMaxLength(400);
        e.Property(c => c.Head).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<CdrProblem> e)
    {
        e.ToTable("CdrProblems");
        e.Property(p => p.Path).HasMaxLength(400);
        e.Property(p => p.Reason).HasMaxLength(400);
        e.Property(p => p.Line).HasMaxLength(1000);
        e.HasIndex(p => p.At);
    }
}

public sealed record CdrReadResult(int Rows, int Problems, int Enriched);

/// <summary>
/// Reads Master.csv as it grows: from the stored offset to the last complete line, in chunks, each chunk's rows and the new
/// offset saved together (a crash re-reads at most the chunk it was in), then enriches recordings already in the panel.
/// </summary>
public sealed class CdrStore(IDbContextFactory<AppDbContext> dbs, IOptions<IngestionOptions> options, NumberNormalizer numbers, TimeProvider time, ILogger<CdrStore> logger,
    IEnumerable<ICdrRowsListener> listeners)
{
    private const int ChunkBytes = 1 << 20;
    /// <summary>The zone Master.csv is written in: UTC on a PBX with usegmtime=yes, else the PBX's own.</summary>
    private readonly TimeZoneInfo cdrZone = TimeZoneInfo.FindSystemTimeZoneById(
        string.IsNullOrWhiteSpace(options.Value.CdrTimeZone) ? options.Value.PbxTimeZone : options.Value.CdrTimeZone);
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<CdrReadResult> ReadNewAsync(string? path, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) return new CdrReadResult(0, 0, 0);
        path = System.IO.Path.GetFullPath(path);
        await gate.WaitAsync(ct);
        try
        {
            return await ReadLockedAsync(path, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CdrReadResult> ReadLockedAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 65536, useAsync: true);
        var head = await HeadAsync(file, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var cursor = await db.Set<CdrCursor>().FirstOrDefaultAsync(c => c.Path == path, ct);
        if (cursor is null)
        {
            cursor = new CdrCursor { Path = path };
            db.Add(cursor);
        }
        if (cursor.Head != head || file.Length < cursor.Offset)
        {
            if (cursor.Offset > 0) logger.LogInformation("{Path} was rotated or replaced; reading it from the start", path);
            cursor.Offset = 0;
            cursor.Lines = 0;
            cursor.Head = head;
        }

        int rows = 0, problems = 0, enriched = 0;
        var buffer = new byte[ChunkBytes];
        while (cursor.Offset < file.Length)
        {
            file.Position = cursor.Offset;
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            var end = Array.LastIndexOf(buffer, (byte)'\n', read - 1);
            if (end < 0)
            {
                // No complete line: Asterisk is still writing it (or one line is longer than a chunk, which no CDR is).
                if (read == buffer.Length) { cursor.Offset += read; problems++; }
                break;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, end + 1);
            var callIds = new HashSet<string>(StringComparer.Ordinal);
            var lines = text.Split('\n');
            foreach (var line in lines.AsSpan(0, lines.Length - 1))
            {
                cursor.Lines++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                if (AsteriskCdrCsv.TryParseLine(line, out var record, out var error))
                {
                    db.Add(ToRow(record!));
                    if (record!.UniqueId is { } u) callIds.Add(u);
                    if (record.LinkedId is { } l) callIds.Add(l);
                    rows++;
                }
                else
                {
                    problems++;
                    // The reason quotes the line's fields, which may be numbers when its columns are shifted: at Debug only.
                    logger.LogWarning("{Path} line {Line} skipped (listed on the Ingestion page)", path, cursor.Lines);
                    logger.LogDebug("{Path} line {Line} skipped: {Reason}", path, cursor.Lines, error);
                    db.Add(new CdrProblem
                    {
                        Path = path, LineNumber = cursor.Lines, Reason = error!, Line = line.Length > 1000 ? line[..1000] : line, At = time.GetUtcNow().UtcDateTime,
                    });
                }
            }
            cursor.Offset += end + 1;
            cursor.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            db.Attach(cursor);
            enriched += await EnrichAsync(callIds, ct);
            foreach (var listener in listeners) await listener.CdrRowsStoredAsync(ct);
        }
        cursor.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new CdrReadResult(rows, problems, enriched);
    }

    private static async Task<string?> HeadAsync(FileStream file, CancellationToken ct)
    {
        var first = new byte[4096];
        var read = await file.ReadAtLeastAsync(first, first.Length, throwOnEndOfStream: false, ct);
        var end = Array.IndexOf(first, (byte)'\n', 0, read);
        return end < 0 ? null : Convert.ToHexStringLower(SHA256.HashData(first.AsSpan(0, end)));
    }

    private CallDetailRecord ToRow(CdrRecord r) => new()
    {
        UniqueId = r.UniqueId, LinkedId = r.LinkedId, Source = Cut(r.Source, 80), Destination = Cut(r.Destination, 80), Context = Cut(r.Context, 80),
        DestinationChannel = Cut(r.DestinationChannel, 120), Disposition = Cut(r.Disposition, 32),
        StartedAt = FreePbxFileName.ToUtc(r.StartLocal, cdrZone, r.UniqueId is null ? null : FreePbxFileName.EpochOf(r.UniqueId)),
        DurationSeconds = r.DurationSeconds, BillSeconds = r.BillSeconds, ReadAt = time.GetUtcNow().UtcDateTime,
    };

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    /// <summary>The CDR rows of many calls at once: those of their own uniqueids and those they are the linkedid of.</summary>
    public static async Task<List<CallDetailRecord>> FindManyAsync(AppDbContext db, IReadOnlyCollection<string> callIds, CancellationToken ct)
    {
        if (callIds.Count == 0) return [];
        var own = await db.Set<CallDetailRecord>().AsNoTracking().Where(c => callIds.Contains(c.UniqueId!)).ToListAsync(ct);
        var linked = await db.Set<CallDetailRecord>().AsNoTracking().Where(c => callIds.Contains(c.LinkedId!)).ToListAsync(ct);
        return own.Concat(linked).DistinctBy(c => c.Id).ToList();
    }

    /// <summary>The rows of one call among those <see cref="FindManyAsync"/> read.</summary>
    public static List<CallDetailRecord> RowsOf(IEnumerable<CallDetailRecord> rows, string callId) =>
        rows.Where(c => c.UniqueId == callId || c.LinkedId == callId).ToList();

    /// <summary>The phone directory (a small table) and the rule for internal numbers it feeds, read once per batch.</summary>
    public static async Task<(InternalNumbers Internals, Dictionary<string, DirectoryEntry> People)> DirectoryAsync(
        AppDbContext db, int maxExtensionDigits, CancellationToken ct)
    {
        var people = await db.Directory.AsNoTracking().ToDictionaryAsync(d => d.Extension, StringComparer.Ordinal, ct);
        return (new InternalNumbers(maxExtensionDigits, people.Keys.ToHashSet(StringComparer.Ordinal)), people);
    }

    /// <summary>
    /// Recordings of these calls that still wait for something only the CDR tells (<see cref="CdrLink.WaitsForCdr"/>) learn
    /// it from the rows now read: a ring group's first NO ANSWER row and the ANSWERED one after it give the same answer as
    /// both read at once.
    /// </summary>
    public async Task<int> EnrichAsync(IReadOnlyCollection<string> callIds, CancellationToken ct)
    {
        var enriched = 0;
        foreach (var batch in callIds.Chunk(400))
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var waiting = await db.Recordings.Where(r => batch.Contains(r.CallId)).Where(CdrLink.WaitingForCdr).ToListAsync(ct);
            if (waiting.Count == 0) continue;
            var rows = await FindManyAsync(db, waiting.Select(r => r.CallId).Distinct().ToList(), ct);
            if (rows.Count == 0) continue;
            var (internals, people) = await DirectoryAsync(db, options.Value.MaxExtensionDigits, ct);
            foreach (var recording in waiting)
            {
                var own = RowsOf(rows, recording.CallId);
                if (own.Count == 0) continue;
                CdrLink.Apply(recording, own, internals, people, numbers);
                enriched++;
            }
            await db.SaveChangesAsync(ct);
        }
        return enriched;
    }
}
