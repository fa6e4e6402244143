using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Transcripts;

/// <summary>A provider's failure, said so an administrator can act on it (it is stored with the request and shown).</summary>
public sealed class TranscriptionFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// <c>POST {BaseUrl}/v1/audio/transcriptions</c> as OpenAI defined it and whisper.cpp's server, faster-whisper servers,
/// LocalAI and vLLM speak it: multipart <c>file</c>, <c>model</c>, <c>language</c>, <c>response_format=verbose_json</c>;
/// the answer's <c>segments</c> carry <c>start</c> and <c>end</c> in seconds and <c>text</c>.
/// </summary>
public sealed class OpenAiCompatibleTranscriber(HttpClient http, IOptions<TranscriptionOptions> options)
{
    public const string HttpClientName = "transcription";

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(Stream wav, string? speaker, CancellationToken ct)
    {
        var o = options.Value;
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "call.wav");
        form.Add(new StringContent(o.Model), "model");
        form.Add(new StringContent(o.Language), "language");
        form.Add(new StringContent("verbose_json"), "response_format");
        form.Add(new StringContent("segment"), "timestamp_granularities[]");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(o.BaseUrl!.TrimEnd('/') + "/"), "v1/audio/transcriptions")) { Content = form };
        if (!string.IsNullOrEmpty(o.ApiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new TranscriptionFailedException($"The transcription server at {o.BaseUrl} did not answer: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TranscriptionFailedException($"The transcription server at {o.BaseUrl} did not answer within {o.TimeoutSeconds} s.", e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new TranscriptionFailedException($"The transcription server answered {(int)response.StatusCode}: {Shorten(body)}");
            return Parse(body, speaker);
        }
    }

    /// <summary>The segments of a verbose_json answer; a plain <c>text</c> without segments is one segment over the whole call.</summary>
    public static IReadOnlyList<TranscriptSegment> Parse(string json, string? speaker)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.TryGetProperty("segments", out var segments) && segments.ValueKind == JsonValueKind.Array)
                return segments.EnumerateArray()
                    .Select(s => new TranscriptSegment(Ms(s, "start"), Ms(s, "end"), speaker, (s.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "").Trim()))
                    .Where(s => s.Text.Length > 0).ToList();
            if (root.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } whole)
                return [new TranscriptSegment(0, root.TryGetProperty("duration", out var d) ? (int)Math.Round(d.GetDouble() * 1000) : 0, speaker, whole.Trim())];
            throw new TranscriptionFailedException("The transcription server's answer has neither segments nor text: " + Shorten(json));
        }
        catch (JsonException e)
        {
            throw new TranscriptionFailedException("The transcription server's answer is not JSON: " + Shorten(json), e);
        }
    }

    private static int Ms(JsonElement segment, string name) =>
        segment.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (int)Math.Round(v.GetDouble() * 1000, MidpointRounding.AwayFromZero) : 0;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300].ToString(CultureInfo.InvariantCulture) + "…";
}
