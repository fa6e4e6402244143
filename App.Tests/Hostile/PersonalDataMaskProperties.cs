using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NagrywanieRozmow.Features.Transcripts;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>
/// Numbers built with a valid checksum are masked wherever they stand in a sentence and however they are grouped; the same
/// number with one digit changed (its checksum now wrong) stays as it was said.
/// </summary>
public sealed class PersonalDataMaskProperties
{
    private static Gen<string> Digits(int n) => Gen.Elements("0123456789".ToCharArray()).ArrayOf(n).Select(a => new string(a));

    private static string WithPeselCheck(string ten)
    {
        int[] weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        var sum = weights.Select((w, i) => w * (ten[i] - '0')).Sum();
        return ten + (10 - sum % 10) % 10;
    }

    private static string WithLuhnCheck(string body)
    {
        for (var d = 0; d <= 9; d++)
            if (PersonalDataMask.IsLuhn(body + d)) return body + d;
        throw new InvalidOperationException("unreachable");
    }

    private static string WithIbanCheck(string bban)
    {
        for (var check = 2; check <= 98; check++)
            if (PersonalDataMask.IsIban($"PL{check:D2}{bban}")) return $"PL{check:D2}{bban}";
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>One digit changed: every checksum here catches a single changed digit.</summary>
    private static string Broken(string number, int at)
    {
        var chars = number.ToCharArray();
        var i = chars.Length - 1 - at % 8;
        chars[i] = (char)('0' + (chars[i] - '0' + 1) % 10);
        return new string(chars);
    }

    private static string Grouped(string digits, int size) => string.Join(' ', digits.Chunk(size).Select(c => new string(c)));

    private static readonly Gen<(string Number, string Mask)> Valid = Gen.OneOf(
        Digits(10).Select(d => (WithPeselCheck(d), PersonalDataMask.Pesel)),
        Gen.Choose(13, 19).SelectMany(n => Digits(n - 1)).Select(d => (WithLuhnCheck("4" + d[1..]), PersonalDataMask.Card)),
        Digits(24).Select(d => (WithIbanCheck(d)[2..], PersonalDataMask.Account)));

    [Property(MaxTest = 500, Replay = Hostile.Seed)]
    public Property A_valid_number_is_masked_in_a_sentence_however_it_is_grouped() =>
        Prop.ForAll(Valid.ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (valid, grouping) =>
        {
            var said = grouping == 0 ? valid.Number : Grouped(valid.Number, grouping + 1);
            var masked = PersonalDataMask.Apply($"Proszę zapisać: {said}, dziękuję.");
            Assert.Equal($"Proszę zapisać: {valid.Mask}, dziękuję.", masked);
        });

    [Property(MaxTest = 500, Replay = Hostile.Seed)]
    public Property A_number_with_a_wrong_check_digit_stays_as_said() =>
        Prop.ForAll(Valid.ToArbitrary(), Gen.Choose(0, 7).ToArbitrary(), (valid, at) =>
        {
            var wrong = Broken(valid.Number, at);
            var text = $"Numer {wrong} zgłoszenia";
            // A changed digit may by chance make another kind of number valid; then it is that kind that is masked.
            if (PersonalDataMask.IsPesel(wrong) || PersonalDataMask.IsLuhn(wrong) && wrong.Length is >= 13 and <= 19 || PersonalDataMask.IsIban("PL" + wrong)) return;
            Assert.Equal(text, PersonalDataMask.Apply(text));
        });
}
