using System.Text.Json;
using System.Text.Json.Serialization;

namespace NagrywanieRozmow.Features.Quality;

public enum QuestionKind
{
    /// <summary>Yes (1), no (0), or not applicable when allowed.</summary>
    YesNo,

    /// <summary>0 to 5.</summary>
    Scale,

    /// <summary>0 to <see cref="FormQuestion.MaxPoints"/>.</summary>
    Points,
}

/// <summary>
/// One question. <see cref="Key"/> is stable across versions (answers and per-question reports use it). A critical
/// question answered "no" (or 0) fails the whole evaluation whatever the rest scores.
/// </summary>
public sealed record FormQuestion(
    string Key, string Text, QuestionKind Kind, decimal Weight = 1, bool Critical = false, int MaxPoints = 0,
    bool AllowNotApplicable = true, string? Guidance = null)
{
    public decimal Max => Kind switch { QuestionKind.YesNo => 1, QuestionKind.Scale => 5, _ => MaxPoints };
}

public sealed record FormSection(string Title, decimal Weight, IReadOnlyList<FormQuestion> Questions);

/// <summary>What a scorecard version asks, stored as JSON in <see cref="ScorecardVersion.Definition"/>.</summary>
public sealed record ScorecardForm(IReadOnlyList<FormSection> Sections)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IEnumerable<FormQuestion> Questions => Sections.SelectMany(s => s.Questions);

    public FormQuestion? Find(string key) => Questions.FirstOrDefault(q => q.Key == key);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ScorecardForm FromJson(string json) =>
        JsonSerializer.Deserialize<ScorecardForm>(json, Json) ?? throw new JsonException("A scorecard definition is empty.");

    /// <summary>Everything wrong with the form, each naming the section or question; empty when it can be saved.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        if (Sections.Count == 0) problems.Add(new("Form_NoSections", "A scorecard needs at least one section."));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < Sections.Count; s++)
        {
            var section = Sections[s];
            var title = string.IsNullOrWhiteSpace(section.Title) ? $"#{s + 1}" : section.Title;
            if (string.IsNullOrWhiteSpace(section.Title)) problems.Add(new("Form_SectionTitle", $"Section {s + 1} has no title.", s + 1));
            if (section.Weight <= 0) problems.Add(new("Form_SectionWeight", $"Section \"{title}\" needs a weight above 0.", title));
            if (section.Questions.Count == 0) problems.Add(new("Form_SectionEmpty", $"Section \"{title}\" has no questions.", title));
            foreach (var q in section.Questions)
            {
                var text = string.IsNullOrWhiteSpace(q.Text) ? q.Key : q.Text;
                if (string.IsNullOrWhiteSpace(q.Text)) problems.Add(new("Form_QuestionText", $"A question in \"{title}\" has no text.", title));
                if (string.IsNullOrWhiteSpace(q.Key) || q.Key.Length > 40) problems.Add(new("Form_QuestionKey", $"Question \"{text}\" needs a key of 1–40 characters.", text));
                else
                {
                    // Keys end up in report columns, exports and URLs: plain ASCII keeps them the same everywhere.
                    if (!q.Key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
                        problems.Add(new("Form_QuestionKeyCharacters", $"The key \"{q.Key}\" of question \"{text}\" may contain only lowercase letters a–z, digits and '-'.", q.Key, text));
                    if (!keys.Add(q.Key)) problems.Add(new("Form_DuplicateKey", $"Two questions share the key \"{q.Key}\".", q.Key));
                }
                if (q.Weight <= 0) problems.Add(new("Form_QuestionWeight", $"Question \"{text}\" needs a weight above 0.", text));
                if (q.Kind == QuestionKind.Points && q.MaxPoints is < 1 or > 100)
                    problems.Add(new("Form_MaxPoints", $"Question \"{text}\" needs a maximum of 1–100 points.", text));
            }
        }
        return problems;
    }
}

/// <summary>An evaluator's answer before scoring: a value, or "not applicable".</summary>
public sealed record AnswerInput(decimal? Value, bool NotApplicable = false);

public sealed record ScoreResult(
    decimal? RawScore, decimal? Score, bool CriticalFailed, IReadOnlyList<string> FailedCritical,
    IReadOnlyDictionary<string, decimal?> Fractions, IReadOnlyDictionary<string, decimal?> SectionScores, IReadOnlyList<Problem> Problems)
{
    public bool Complete => Problems.Count == 0;
}

/// <summary>
/// Scores an evaluation. Each answer becomes a fraction of its question's maximum; a section's score is the weighted mean of
/// its answered questions, the total the weighted mean of the sections that have any answered question (not applicable
/// leaves a question out of both sides). A critical question at 0 sets the final score to 0 and marks the evaluation failed.
/// Scores are percentages with one decimal.
/// </summary>
public static class Scoring
{
    public static ScoreResult Score(ScorecardForm form, IReadOnlyDictionary<string, AnswerInput> answers)
    {
        var problems = new List<Problem>();
        var fractions = new Dictionary<string, decimal?>();
        var sections = new Dictionary<string, decimal?>();
        var failed = new List<string>();
        decimal total = 0, totalWeight = 0;
        foreach (var section in form.Sections)
        {
            decimal sum = 0, weight = 0;
            foreach (var q in section.Questions)
            {
                if (!answers.TryGetValue(q.Key, out var answer) || answer.Value is null && !answer.NotApplicable)
                {
                    problems.Add(new("Answer_Missing", $"\"{q.Text}\" has no answer.", q.Text));
                    continue;
                }
                if (answer.NotApplicable)
                {
                    if (!q.AllowNotApplicable) problems.Add(new("Answer_NaNotAllowed", $"\"{q.Text}\" cannot be not applicable.", q.Text));
                    fractions[q.Key] = null;
                    continue;
                }
                var value = answer.Value!.Value;
                if (value < 0 || value > q.Max || q.Kind != QuestionKind.Points && value != decimal.Truncate(value))
                {
                    problems.Add(new("Answer_OutOfRange", $"\"{q.Text}\" takes 0–{q.Max}, not {value}.", q.Text, q.Max, value));
                    continue;
                }
                var fraction = value / q.Max;
                fractions[q.Key] = fraction;
                if (q.Critical && value == 0) failed.Add(q.Key);
                sum += fraction * q.Weight;
                weight += q.Weight;
            }
            var sectionScore = weight > 0 ? sum / weight : (decimal?)null;
            sections[section.Title] = sectionScore is { } x ? Percent(x) : null;
            if (sectionScore is { } score)
            {
                total += score * section.Weight;
                totalWeight += section.Weight;
            }
        }
        decimal? raw = totalWeight > 0 ? Percent(total / totalWeight) : null;
        // Every question not applicable: there is nothing to score, which is not the same as 0.
        decimal? final = failed.Count > 0 ? 0 : raw;
        return new ScoreResult(raw, final, failed.Count > 0, failed, fractions, sections, problems);
    }

    private static decimal Percent(decimal fraction) => Math.Round(fraction * 100, 1, MidpointRounding.AwayFromZero);
}
