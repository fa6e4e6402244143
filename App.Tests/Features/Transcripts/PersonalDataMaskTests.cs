using NagrywanieRozmow.Features.Transcripts;

namespace NagrywanieRozmow.Tests.Features.Transcripts;

public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("Mój PESEL to 44051401359.", "Mój PESEL to [PESEL].")]
    [InlineData("karta 4111 1111 1111 1111 ważna do grudnia", "karta [karta] ważna do grudnia")]
    [InlineData("karta 4111-1111-1111-1111", "karta [karta]")]
    [InlineData("konto PL61 1090 1014 0000 0712 1981 2874 w banku", "konto [konto] w banku")]
    [InlineData("konto pl61109010140000071219812874", "konto [konto]")]
    [InlineData("numer rachunku 61 1090 1014 0000 0712 1981 2874", "numer rachunku [konto]")]
    [InlineData("DE89 3704 0044 0532 0130 00 i tyle", "[konto] i tyle")]
    [InlineData("proszę pisać na jan.kowalski@example.com albo zadzwonić", "proszę pisać na [e-mail] albo zadzwonić")]
    [InlineData("PESEL 44051401359 telefon 601 234 567", "PESEL [PESEL] telefon 601 234 567")]
    [InlineData("601 234 567 44051401359", "601 234 567 [PESEL]")]
    public void Masks_what_it_must(string said, string kept) => Assert.Equal(kept, PersonalDataMask.Apply(said));

    [Theory]
    [InlineData("Proszę zadzwonić pod 601 234 567 jutro.")]
    [InlineData("Zamówienie 44051401358 (zła suma PESEL) i 4111 1111 1111 1112.")]
    [InlineData("Reklamacja REK-2026/0113 z 14 listopada, kwota 1 299 zł.")]
    [InlineData("Żółta gęś, zażółć gęślą jaźń.")]
    public void Leaves_the_rest_as_it_was_said(string said) => Assert.Equal(said, PersonalDataMask.Apply(said));
}
