using System.Globalization;
using System.Text;

namespace NagrywanieRozmow.Shared.Csv;

/// <summary>A CSV file built in memory: RFC 4180 with CRLF, every cell through <see cref="Cell"/>.</summary>
public sealed class CsvText(params string[] header)
{
    private readonly StringBuilder text = new StringBuilder().AppendJoin(',', header).Append("\r\n");

    public CsvText Row(params string?[] cells)
    {
        text.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        return this;
    }

    public override string ToString() => text.ToString();

    /// <summary>
    /// RFC 4180 quoting, and a leading apostrophe where a spreadsheet would otherwise run the cell as a formula (an actor
    /// or reason is text someone else typed).
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Seconds(int ms) => (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);
}
