using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>One stretch of speech: when (ms from the start), who (the channel's party, or null on a mono call) and what.</summary>
public sealed record TranscriptSegment(int StartMs, int EndMs, string? Speaker, string Text);

/// <summary>
/// What was said in a recording, as a transcription provider heard it (personal numbers and addresses already masked).
/// It is the recording's own data, like its case numbers: deleted with it (retention, erasure) by the database's cascade,
/// and the full-text index follows by trigger. <see cref="SearchText"/> is <see cref="Text"/> folded (lower case, no
/// diacritics: "zazolc" finds "zażółć") and is what every database indexes.
/// </summary>
public sealed class RecordingTranscript
{
    public long RecordingId { get; set; }

    /// <summary>Which provider produced it (OpenAiCompatible, WhisperLocal) and with which model.</summary>
    public required string Provider { get; set; }
    public string? Model { get; set; }
    public required string Language { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string Text { get; set; }
    public required string SearchText { get; set; }

    /// <summary>The segments as JSON (<see cref="TranscriptSegment"/>), in time order.</summary>
    public required string Segments { get; set; }

    public IReadOnlyList<TranscriptSegment> ReadSegments() => JsonSerializer.Deserialize<List<TranscriptSegment>>(Segments, Json) ?? [];

    public static RecordingTranscript From(long recordingId, string provider, string? model, string language, DateTime createdAt, IReadOnlyList<TranscriptSegment> segments)
    {
        var text = string.Join('\n', segments.Select(s => s.Text));
        return new RecordingTranscript
        {
            RecordingId = recordingId, Provider = provider, Model = model, Language = language, CreatedAt = createdAt, Text = text,
            SearchText = Fold(text), Segments = JsonSerializer.Serialize(segments, Json),
        };
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Lower case without diacritics; ł and Ł, which Unicode does not decompose, become l.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Replace('ł', 'l').Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) folded.Append(c);
        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The words of a "what was said" search, folded, letters and digits only (so no index's query syntax gets through), each
    /// looked for as a word's beginning. Polish inflects by the ending, so a word of five letters or more loses its final
    /// vowel: "reklamacja" looks for "reklamacj…" and finds "reklamacji" and "reklamację" too.
    /// </summary>
    public static IReadOnlyList<string> SearchWords(string text) =>
        Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
            .Select(w => w.Length >= 5 && "aeiouy".Contains(w[^1]) ? w[..^1] : w)
            .Where(w => w.Length > 0).Distinct().Take(8).ToList();
}

internal sealed class RecordingTranscriptConfiguration : IEntityTypeConfiguration<RecordingTranscript>
{
    public void Configure(EntityTypeBuilder<RecordingTranscript> e)
    {
        e.ToTable("RecordingTranscripts");
        e.HasKey(t => t.RecordingId);
        e.Property(t => t.RecordingId).ValueGeneratedNever();
        e.Property(t => t.Provider).HasMaxLength(40);
        e.Property(t => t.Model).HasMaxLength(200);
        e.Property(t => t.Language).HasMaxLength(16);
        e.HasOne<Recording>().WithOne().HasForeignKey<RecordingTranscript>(t => t.RecordingId).OnDelete(DeleteBehavior.Cascade);
    }
}
