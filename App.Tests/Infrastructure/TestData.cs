using System.Security.Cryptography;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>Recordings for tests: sensible defaults, override what the test is about.</summary>
public static class TestData
{
    private static long counter = 1_794_816_900;

    /// <summary>The normaliser with the settings every test app starts with (region PL, no outside-line prefix).</summary>
    public static readonly NumberNormalizer Numbers = NumbersFor("PL");

    public static NumberNormalizer NumbersFor(string region, params string[] outsideLinePrefixes) =>
        new(Microsoft.Extensions.Options.Options.Create(new PhoneNumberOptions { DefaultRegion = region, OutsideLinePrefixes = [.. outsideLinePrefixes] }));

    public static Recording Recording(
        DateTime? startedAt = null, string caller = "48601234567", string callee = "201", string? extension = "201",
        CallType type = CallType.Incoming, int durationSeconds = 42, long sizeBytes = 672_044, string? team = "Reklamacje",
        string? userName = "Anna Kowalska", string? callId = null, string format = "wav")
    {
        var id = Interlocked.Increment(ref counter);
        var started = startedAt ?? new DateTime(2026, 11, 16, 8, 15, 2, DateTimeKind.Utc);
        return new Recording
        {
            CallId = callId ?? $"{id}.{id % 100}",
            StartedAt = started,
            DurationMs = durationSeconds * 1000,
            CallerNumber = caller, CallerDigits = Numbers.Normalize(caller),
            CalleeNumber = callee, CalleeDigits = Numbers.Normalize(callee),
            Extension = extension, UserName = userName, Team = team, Type = type,
            SizeBytes = sizeBytes, Format = format, Codec = "pcm_s16le", SampleRate = 8000, Channels = 1,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(id))),
            StorageKey = $"{started:yyyy/MM/dd}/{id}.{format}",
            OriginalFileName = $"in-{callee}-{caller}-{started:yyyyMMdd-HHmmss}-{id}.{format}",
            IngestedAt = started.AddMinutes(1),
        };
    }

    /// <summary>A real 8 kHz 16-bit mono PCM WAV with a tone: what FreePBX writes by default.</summary>
    public static byte[] Wav(double seconds, int sampleRate = 8000, double frequency = 440)
    {
        var samples = (int)(seconds * sampleRate);
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(sampleRate); w.Write(sampleRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++) w.Write((short)(Math.Sin(2 * Math.PI * frequency * i / sampleRate) * 8000));
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>Stores the recording's row and a real WAV of its duration; returns the row with its id.</summary>
    public static async Task<Recording> AddWithAudioAsync(AppFactory app, Recording recording)
    {
        var audio = Wav(recording.DurationMs / 1000.0);
        recording.SizeBytes = audio.Length;
        recording.Sha256 = Convert.ToHexStringLower(SHA256.HashData(audio));
        await app.Store.SaveAsync(recording.StorageKey, new MemoryStream(audio), CancellationToken.None);
        return await AddAsync(app, recording);
    }

    public static async Task<Recording> AddAsync(AppFactory app, Recording recording)
    {
        await app.WithDbAsync(async db =>
        {
            db.Recordings.Add(recording);
            await db.SaveChangesAsync();
        });
        return recording;
    }
}
