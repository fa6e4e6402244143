using Microsoft.Extensions.Localization;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>Marker for RetentionText.resx: the texts of retention, holds, deletion and data-subject requests.</summary>
public sealed class RetentionText
{
    /// <summary>"zespół Reklamacje · Przychodzące: 180 dni" — which rule decides, in the reader's language.</summary>
    public static string Describe(RetentionRule rule, IStringLocalizer<RetentionText> l, IStringLocalizer<RecordingsText> types)
    {
        var parts = new List<string>();
        if (rule.Team is { } team) parts.Add(l["Rule_Team", team]);
        if (rule.Type is { } type) parts.Add(types["Type_" + type]);
        var who = parts.Count == 0 ? l["Rule_Default"].Value : string.Join(" · ", parts);
        return $"{who}: {(rule.Days is { } d ? l["Rule_Days", d].Value : l["Rule_Keep"].Value)}";
    }
}

public static class RetentionFeature
{
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration("Retention").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RetentionPolicies>();
        builder.Services.AddSingleton<LegalHolds>();
        builder.Services.AddSingleton<RecordingEraser>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
