namespace NagrywanieRozmow.Features.Recordings;

public enum CallType { Incoming, Outgoing, Internal, Queue, Ivr }

/// <summary>One recorded call. Times are UTC; numbers are kept as the PBX wrote them and as normalised digits for search.</summary>
public sealed class Recording
{
    public long Id { get; set; }

    /// <summary>The PBX uniqueid of the recorded channel.</summary>
    public required string CallId { get; set; }

    /// <summary>The PBX linkedid: shared by every leg of a transferred or queued call.</summary>
    public string? LinkedId { get; set; }

    public DateTime StartedAt { get; set; }
    public int DurationMs { get; set; }

    public required string CallerNumber { get; set; }
    public required string CallerDigits { get; set; }
    public required string CalleeNumber { get; set; }
    public required string CalleeDigits { get; set; }

    /// <summary>The number the caller dialled (FreePBX's inbound route, the <c>in-&lt;DID&gt;-…</c> name), as the PBX wrote it.</summary>
    public string? Did { get; set; }

    /// <summary>
    /// The internal extension (station) that took or made the call. Null for an incoming, queue or ring-group call until the
    /// CDR names the phone that answered: it is never guessed from the DID, queue or group the file name gives.
    /// </summary>
    public string? Extension { get; set; }

    /// <summary>The person or station behind the extension at the time of the call.</summary>
    public string? UserName { get; set; }
    public string? Team { get; set; }
    public CallType Type { get; set; }

    /// <summary>The file name did not tell the direction (rg, ondemand …) and no CDR row has said it yet.</summary>
    public bool TypeIsGuess { get; set; }

    /// <summary>The queue (<c>q-</c>) or ring group (<c>rg-</c>) the call went through.</summary>
    public string? Queue { get; set; }

    /// <summary>From the CDR (ANSWERED, NO ANSWER, BUSY, FAILED); null while no CDR row has been linked.</summary>
    public string? Disposition { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Container as stored: wav, wav49, gsm, mp3, ogg.</summary>
    public required string Format { get; set; }

    /// <summary>Codec inside the container: pcm_s16le, pcm_mulaw, pcm_alaw, gsm_ms, mp3 …</summary>
    public string? Codec { get; set; }
    public int SampleRate { get; set; }
    public int Channels { get; set; } = 1;

    public required string Sha256 { get; set; }
    public required string StorageKey { get; set; }
    public required string OriginalFileName { get; set; }
    public DateTime IngestedAt { get; set; }

    /// <summary>
    /// Where the audio lies: the hot store, or the archive store the retention policy moved it to (set by the archive job in
    /// the transaction that audits the move).
    /// </summary>
    public Shared.Storage.StorageTier Tier { get; set; }

    /// <summary>True while an active legal hold has this recording (kept in step by <c>LegalHolds</c>).</summary>
    public bool LegalHold { get; set; }

    public List<RecordingCase> Cases { get; set; } = [];
    public List<RecordingTag> Tags { get; set; } = [];
}

public sealed class RecordingCase
{
    public long RecordingId { get; set; }
    public required string CaseNumber { get; set; }
    public DateTime AddedAt { get; set; }
    public string? AddedBy { get; set; }
}

public sealed class RecordingTag
{
    public long RecordingId { get; set; }
    public required string Tag { get; set; }
}

/// <summary>Who sits behind an extension: the small phone directory that maps stations to people and teams.</summary>
public sealed class DirectoryEntry
{
    public required string Extension { get; set; }
    public required string DisplayName { get; set; }
    public string? Team { get; set; }
}

/// <summary>Peaks for the player's waveform, computed once per recording on first play.</summary>
public sealed class RecordingWaveform
{
    public long RecordingId { get; set; }
    public required byte[] Peaks { get; set; }
    public int DurationMs { get; set; }
}
