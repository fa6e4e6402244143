namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>Marker for the webhooks page's texts (WebhooksText.resx: Polish; WebhooksText.en.resx: English).</summary>
public sealed class WebhooksText;
