using NagrywanieRozmow.Shared.Csv;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Cli;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Evidence;

public sealed class EvidenceOptions
{
    /// <summary>The signing key as base64 (at least 32 bytes). When empty, a key is made once and kept in <see cref="SigningKeyPath"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Where the generated key is kept (relative to the app's folder): back it up with the database.</summary>
    public string SigningKeyPath { get; set; } = "data/evidence-signing.key";
}
