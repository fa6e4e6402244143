using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Watches;

public enum SmtpSecurity { None, StartTls, SslOnConnect }

/// <summary><c>Smtp:*</c>: where notification e-mails go out. Without a host no e-mail is sent (the panel's bell still works).</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 25;

    /// <summary>The sender, e.g. <c>Nagrania &lt;nagrania@firma.pl&gt;</c>; required with a host.</summary>
    public string? From { get; set; }

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>None (plain, e.g. a relay on the same network), StartTls (usually port 587) or SslOnConnect (port 465).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured) yield break;
        if (string.IsNullOrWhiteSpace(From) || !MimeKit.MailboxAddress.TryParse(From, out _))
            yield return new ValidationResult("Smtp:From must be the sender's e-mail address (e.g. nagrania@firma.pl) when Smtp:Host is set.", [nameof(From)]);
        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
            yield return new ValidationResult("Smtp:UserName and Smtp:Password are set together, or neither.", [nameof(UserName)]);
    }
}
