using MudBlazor;

namespace NagrywanieRozmow.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            // Darker than MudBlazor's defaults: text-coloured chips and alerts (type, outcome, "file missing") on their pale
            // tint reach WCAG AA 4.5:1 (axe-core color-contrast); the defaults measured 2.1-3.7:1.
            Secondary = "#9a4d17",
            Info = "#0d5fa8",
            Success = "#1b6e3c",
            Warning = "#8a5300",
            Error = "#b3261e",
            AppbarBackground = "#1f5f8b",
            Background = "#f5f7fa",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
