using System.ComponentModel.DataAnnotations;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Transcripts;

public enum TranscriptionProvider { None, OpenAiCompatible, WhisperLocal }

/// <summary>Which calls are transcribed once they arrive: every call, those of some teams or call types, or only on request.</summary>
public enum TranscriptionScope { All, Teams, Types, OnDemand }

/// <summary>
/// <c>Transcription:*</c>. Off by default: a recording leaves the server only for a provider the company chose.
/// <c>OpenAiCompatible</c> speaks <c>POST {BaseUrl}/v1/audio/transcriptions</c> (whisper.cpp's server, faster-whisper
/// servers, LocalAI, vLLM, cloud services).
/// </summary>
public sealed class TranscriptionOptions : IValidatableObject
{
    public TranscriptionProvider Provider { get; set; } = TranscriptionProvider.None;

    /// <summary>The server's root, e.g. http://127.0.0.1:8080 (the path /v1/audio/transcriptions is added).</summary>
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    public string Model { get; set; } = "whisper-1";
    public string Language { get; set; } = "pl";

    /// <summary>WhisperLocal: the ggml model file the administrator provides.</summary>
    public string? ModelPath { get; set; }

    public TranscriptionScope Scope { get; set; } = TranscriptionScope.All;

    /// <summary>For <see cref="TranscriptionScope.Teams"/>: comma-separated team names.</summary>
    public string? Teams { get; set; }

    /// <summary>For <see cref="TranscriptionScope.Types"/>: comma-separated call types (Incoming, Outgoing, Internal, Queue, Ivr).</summary>
    public string? Types { get; set; }

    /// <summary>How many recordings are transcribed at once on this instance (its own Hangfire queue and workers).</summary>
    [Range(1, 16, ErrorMessage = "Transcription:MaxConcurrent must be between 1 and 16.")]
    public int MaxConcurrent { get; set; } = 1;

    [Range(10, 7200, ErrorMessage = "Transcription:TimeoutSeconds must be between 10 and 7200.")]
    public int TimeoutSeconds { get; set; } = 600;

    [Range(1, 20, ErrorMessage = "Transcription:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 4;

    public bool Enabled => Provider != TranscriptionProvider.None;

    public IReadOnlyList<string> TeamList => RecordingScope.ParseTeams(Teams);

    public IReadOnlyList<CallType> TypeList =>
        (Types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Enum.TryParse<CallType>(t, true, out var type) ? type : (CallType?)null).OfType<CallType>().ToList();

    /// <summary>Whether a call that just arrived is transcribed without being asked.</summary>
    public bool Covers(Recording r) => Enabled && Scope switch
    {
        TranscriptionScope.All => true,
        TranscriptionScope.Teams => r.Team is not null && TeamList.Contains(r.Team, StringComparer.OrdinalIgnoreCase),
        TranscriptionScope.Types => TypeList.Contains(r.Type),
        _ => false,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == TranscriptionProvider.OpenAiCompatible
            && !(Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            yield return new("Transcription:BaseUrl must be the provider's http(s) address, e.g. http://127.0.0.1:8080.", [nameof(BaseUrl)]);
        if (Provider == TranscriptionProvider.WhisperLocal && string.IsNullOrWhiteSpace(ModelPath))
            yield return new("Transcription:ModelPath must name the ggml model file (e.g. /var/lib/nagrywanie/ggml-small.bin).", [nameof(ModelPath)]);
        if (Scope == TranscriptionScope.Teams && TeamList.Count == 0)
            yield return new("Transcription:Teams must name at least one team when Transcription:Scope is Teams.", [nameof(Teams)]);
        var unknown = (Types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => !Enum.TryParse<CallType>(t, true, out _)).ToList();
        if (unknown.Count > 0 || Scope == TranscriptionScope.Types && TypeList.Count == 0)
            yield return new("Transcription:Types must be call types among Incoming, Outgoing, Internal, Queue, Ivr" +
                (unknown.Count > 0 ? $" (not {string.Join(", ", unknown)})." : "."), [nameof(Types)]);
        if (string.IsNullOrWhiteSpace(Language) || Language.Length > 16)
            yield return new("Transcription:Language must be a language code such as pl or en.", [nameof(Language)]);
    }
}
