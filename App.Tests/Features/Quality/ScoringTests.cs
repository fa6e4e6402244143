using NagrywanieRozmow.Features.Quality;

namespace NagrywanieRozmow.Tests.Features.Quality;

public sealed class ScoringTests
{
    private static readonly ScorecardForm Form = new(
    [
        new FormSection("A", 1, [
            new FormQuestion("hello", "Greets", QuestionKind.YesNo),
            new FormQuestion("verify", "Verifies identity", QuestionKind.YesNo, Critical: true, AllowNotApplicable: false),
        ]),
        new FormSection("B", 3, [
            new FormQuestion("need", "Finds the need", QuestionKind.Scale, Weight: 3),
            new FormQuestion("steps", "Next step", QuestionKind.Points, MaxPoints: 4),
        ]),
    ]);

    private static Dictionary<string, AnswerInput> Answers(decimal? hello, decimal? verify, decimal? need, decimal? steps, bool helloNa = false) => new()
    {
        ["hello"] = new(hello, helloNa), ["verify"] = new(verify), ["need"] = new(need), ["steps"] = new(steps),
    };

    [Fact]
    public void Questions_and_sections_are_weighted()
    {
        // A: (1 + 1) / 2 = 100 %. B: (3 × 4/5 + 1 × 2/4) / 4 = 0.725. Total: (1 × 1 + 3 × 0.725) / 4 = 0.79375 → 79.4.
        var result = Scoring.Score(Form, Answers(1, 1, 4, 2));
        Assert.True(result.Complete);
        Assert.Equal(79.4m, result.Score);
        Assert.Equal(100m, result.SectionScores["A"]);
        Assert.Equal(72.5m, result.SectionScores["B"]);
        Assert.Equal(0.8m, result.Fractions["need"]);
        Assert.False(result.CriticalFailed);
    }

    [Fact]
    public void Not_applicable_leaves_the_question_out_of_both_sides()
    {
        // A is "verify" alone: 0 would fail, 1 gives 100 %; "hello" n.a. does not pull it down.
        var result = Scoring.Score(Form, Answers(null, 1, 5, 4, helloNa: true));
        Assert.Equal(100m, result.Score);
        Assert.Null(result.Fractions["hello"]);
    }

    [Fact]
    public void A_critical_question_at_zero_fails_the_evaluation_whatever_the_rest_scores()
    {
        var result = Scoring.Score(Form, Answers(1, 0, 5, 4));
        Assert.True(result.CriticalFailed);
        Assert.Equal(0m, result.Score);
        Assert.Equal(87.5m, result.RawScore);
        Assert.Equal(["verify"], result.FailedCritical);
    }

    [Fact]
    public void Missing_out_of_range_and_forbidden_na_answers_are_named()
    {
        var answers = Answers(1, null, 6, 2.5m);
        answers["verify"] = new(null, NotApplicable: true);
        answers.Remove("hello");
        var result = Scoring.Score(Form, answers);
        Assert.False(result.Complete);
        Assert.Contains(result.Problems, p => p.Key == "Answer_Missing" && p.Message.Contains("Greets"));
        Assert.Contains(result.Problems, p => p.Key == "Answer_NaNotAllowed" && p.Message.Contains("Verifies identity"));
        Assert.Contains(result.Problems, p => p.Key == "Answer_OutOfRange" && p.Message.Contains("Finds the need"));
        // Points may be fractional (half a point); a scale may not.
        Assert.DoesNotContain(result.Problems, p => p.Message.Contains("Next step"));
        Assert.Contains(Scoring.Score(Form, Answers(1, 1, 2.5m, 2)).Problems, p => p.Key == "Answer_OutOfRange");
    }

    [Fact]
    public void Everything_not_applicable_has_no_score_rather_than_zero()
    {
        var form = new ScorecardForm([new FormSection("A", 1, [new FormQuestion("a", "A", QuestionKind.YesNo)])]);
        var result = Scoring.Score(form, new Dictionary<string, AnswerInput> { ["a"] = new(null, true) });
        Assert.True(result.Complete);
        Assert.Null(result.Score);
    }

    [Fact]
    public void A_form_with_a_duplicate_key_an_empty_section_or_no_weight_is_refused_with_each_named()
    {
        var form = new ScorecardForm(
        [
            new FormSection("Start", 0, [new FormQuestion("a", "One", QuestionKind.YesNo), new FormQuestion("a", "Two", QuestionKind.Points, MaxPoints: 0)]),
            new FormSection("Empty", 1, []),
        ]);
        var keys = form.Validate().Select(p => p.Key).ToList();
        Assert.Contains("Form_SectionWeight", keys);
        Assert.Contains("Form_DuplicateKey", keys);
        Assert.Contains("Form_MaxPoints", keys);
        Assert.Contains("Form_SectionEmpty", keys);
        Assert.Empty(Form.Validate());
        Assert.Equal(Form.ToJson(), ScorecardForm.FromJson(Form.ToJson()).ToJson());
    }

    [Theory]
    [InlineData("Weryfikacja")]
    [InlineData("uprzejmość")]
    [InlineData("kolejny krok")]
    [InlineData("kolejny_krok")]
    [InlineData("krok/2")]
    public void A_question_key_with_anything_but_lowercase_a_z_digits_and_hyphens_is_refused_naming_the_key(string key)
    {
        var form = new ScorecardForm([new FormSection("A", 1, [new FormQuestion(key, "Pytanie", QuestionKind.YesNo)])]);
        var problem = Assert.Single(form.Validate());
        Assert.Equal("Form_QuestionKeyCharacters", problem.Key);
        Assert.Equal(key, problem.Args[0]);
        Assert.Contains($"\"{key}\"", problem.Message);
    }

    [Fact]
    public void Keys_of_lowercase_letters_digits_and_hyphens_pass_as_the_demo_keys_do()
    {
        var form = new ScorecardForm([new FormSection("A", 1, [new FormQuestion("krok-2", "Drugi krok", QuestionKind.YesNo), new FormQuestion("0-9a-z", "Znaki", QuestionKind.YesNo)])]);
        Assert.Empty(form.Validate());
        Assert.Empty(Scorecards.DemoForm.Validate());
        // A key that is both badly written and repeated is named for both.
        var twice = new ScorecardForm([new FormSection("A", 1, [new FormQuestion("Krok", "Jeden", QuestionKind.YesNo), new FormQuestion("Krok", "Dwa", QuestionKind.YesNo)])]);
        Assert.Equal(["Form_QuestionKeyCharacters", "Form_QuestionKeyCharacters", "Form_DuplicateKey"], twice.Validate().Select(p => p.Key));
    }
}
