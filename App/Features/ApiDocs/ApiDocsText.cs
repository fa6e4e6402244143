namespace NagrywanieRozmow.Features.ApiDocs;

/// <summary>Marker for the API page's texts (ApiDocsText.resx: Polish; ApiDocsText.en.resx: English).</summary>
public sealed class ApiDocsText;
