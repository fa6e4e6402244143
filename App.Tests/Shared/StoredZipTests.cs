using System.IO.Compression;
using System.Text;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Tests.Shared;

public sealed class StoredZipTests
{
    private static readonly DateTime When = new(2026, 11, 16, 9, 15, 2);

    private static ZipItem File(string name, byte[] bytes) => new(name, bytes.Length, When, _ => Task.FromResult<Stream?>(new MemoryStream(bytes)));

    private static IReadOnlyList<ZipItem> Sample()
    {
        var random = new Random(7);
        var audio = new byte[300_000];
        random.NextBytes(audio);
        return
        [
            File("audio/2026-11-16_091502_+48601234567_201_42.wav", audio),
            File("audio/pusty.wav", []),
            ZipItem.Text("manifest.csv", "id,file\r\n42,audio/…wav\r\n", When),
            ZipItem.Text("README — żółć.txt", "Zażółć gęślą jaźń", When),
        ];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task What_it_writes_is_exactly_as_long_as_announced_and_any_zip_reader_gets_every_file_back(bool zip64)
    {
        var items = Sample();
        using var output = new MemoryStream();
        if (zip64) await StoredZip.WriteZip64Async(output, items); else await StoredZip.WriteAsync(output, items);

        Assert.Equal(zip64 ? StoredZip.LengthOfZip64(items) : StoredZip.LengthOf(items), output.Length);
        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read);
        Assert.Equal(items.Select(i => i.Name), zip.Entries.Select(e => e.FullName));
        foreach (var (item, entry) in items.Zip(zip.Entries))
        {
            Assert.Equal(item.Size, entry.Length);
            Assert.Equal(entry.Length, entry.CompressedLength);
            Assert.Equal(When, entry.LastWriteTime.DateTime);
            using var expected = new MemoryStream();
            await using (var source = (await item.Open(CancellationToken.None))!) await source.CopyToAsync(expected);
            using var actual = new MemoryStream();
            await using (var stream = entry.Open()) await stream.CopyToAsync(actual);
            Assert.Equal(expected.ToArray(), actual.ToArray());
        }
        using var readme = new StreamReader(zip.GetEntry("README — żółć.txt")!.Open(), Encoding.UTF8);
        Assert.Equal("Zażółć gęślą jaźń", await readme.ReadToEndAsync());
    }

    [Fact]
    public async Task A_file_that_changed_size_since_it_was_listed_stops_the_archive_with_its_name()
    {
        var items = new[] { new ZipItem("audio/a.wav", 10, When, _ => Task.FromResult<Stream?>(new MemoryStream(new byte[12]))) };
        var error = await Assert.ThrowsAsync<ZipItemChangedException>(() => StoredZip.WriteAsync(new MemoryStream(), items));
        Assert.Contains("audio/a.wav", error.Message);
        var gone = new[] { new ZipItem("audio/b.wav", 10, When, _ => Task.FromResult<Stream?>(null)) };
        Assert.Contains("disappeared", (await Assert.ThrowsAsync<ZipItemChangedException>(() => StoredZip.WriteAsync(new MemoryStream(), gone))).Message);
    }
}
