using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class InitialPostgreSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    Team = table.Column<string>(type: "text", nullable: true),
                    Extension = table.Column<string>(type: "text", nullable: true),
                    IsDisabled = table.Column<bool>(type: "boolean", nullable: false),
                    HearsOwnRecordings = table.Column<bool>(type: "boolean", nullable: false),
                    MayDeleteRecordings = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSignInAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true),
                    PhoneNumber = table.Column<string>(type: "text", nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ActorIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RecordingId = table.Column<long>(type: "bigint", nullable: true),
                    Details = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PreviousHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CdrCursors",
                columns: table => new
                {
                    Path = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    Lines = table.Column<long>(type: "bigint", nullable: false),
                    Head = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CdrCursors", x => x.Path);
                });

            migrationBuilder.CreateTable(
                name: "CdrProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Path = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    LineNumber = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Line = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CdrProblems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CdrRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UniqueId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LinkedId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Source = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Destination = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Context = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    DestinationChannel = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DurationSeconds = table.Column<int>(type: "integer", nullable: false),
                    BillSeconds = table.Column<int>(type: "integer", nullable: false),
                    Disposition = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReadAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CdrRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeletionRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecisionNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletionRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Directory",
                columns: table => new
                {
                    Extension = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Directory", x => x.Extension);
                });

            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PlacedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LiftedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    LiftedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LiftReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Recordings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CallId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LinkedId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    CallerNumber = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    CallerDigits = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CalleeNumber = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    CalleeDigits = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Extension = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    UserName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    TypeIsGuess = table.Column<bool>(type: "boolean", nullable: false),
                    Queue = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Disposition = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Format = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Codec = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SampleRate = table.Column<int>(type: "integer", nullable: false),
                    Channels = table.Column<int>(type: "integer", nullable: false),
                    Sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    OriginalFileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    IngestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LegalHold = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Recordings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RecordingTombstones",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    CallId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    IngestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Cause = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Rule = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    DeletedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PendingKeys = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    FilesRemovedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordingTombstones", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Days = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Scorecards",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Archived = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Scorecards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SubjectRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    MaskedNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    HandledBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    HandledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Receipt = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TeamSettings",
                columns: table => new
                {
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AgentsHearOwnRecordings = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TeamSettings", x => x.Team);
                });

            migrationBuilder.CreateTable(
                name: "TrainingCollections",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingCollections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RoleId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "text", nullable: false),
                    ProviderKey = table.Column<string>(type: "text", nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    LoginProvider = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LegalHoldItems",
                columns: table => new
                {
                    HoldId = table.Column<long>(type: "bigint", nullable: false),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    AddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReleasedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReleasedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ReleaseReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHoldItems", x => new { x.HoldId, x.RecordingId });
                    table.ForeignKey(
                        name: "FK_LegalHoldItems_LegalHolds_HoldId",
                        column: x => x.HoldId,
                        principalTable: "LegalHolds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IngestedFiles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SourcePath = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    LastWriteUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Problem = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    QuarantinedAs = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RecordingId = table.Column<long>(type: "bigint", nullable: true),
                    ProcessedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IngestedFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IngestedFiles_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "RecordingCases",
                columns: table => new
                {
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordingCases", x => new { x.RecordingId, x.CaseNumber });
                    table.ForeignKey(
                        name: "FK_RecordingCases_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RecordingTags",
                columns: table => new
                {
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    Tag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordingTags", x => new { x.RecordingId, x.Tag });
                    table.ForeignKey(
                        name: "FK_RecordingTags_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TimelineComments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    StartMs = table.Column<int>(type: "integer", nullable: false),
                    EndMs = table.Column<int>(type: "integer", nullable: true),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Author = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimelineComments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TimelineComments_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Waveforms",
                columns: table => new
                {
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    Peaks = table.Column<byte[]>(type: "bytea", nullable: false),
                    DurationMs = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Waveforms", x => x.RecordingId);
                    table.ForeignKey(
                        name: "FK_Waveforms_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScorecardVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ScorecardId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScorecardVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScorecardVersions_Scorecards_ScorecardId",
                        column: x => x.ScorecardId,
                        principalTable: "Scorecards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CollectionItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CollectionId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    StartMs = table.Column<int>(type: "integer", nullable: true),
                    EndMs = table.Column<int>(type: "integer", nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CollectionItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CollectionItems_TrainingCollections_CollectionId",
                        column: x => x.CollectionId,
                        principalTable: "TrainingCollections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CollectionShares",
                columns: table => new
                {
                    CollectionId = table.Column<int>(type: "integer", nullable: false),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CollectionShares", x => new { x.CollectionId, x.Email });
                    table.ForeignKey(
                        name: "FK_CollectionShares_TrainingCollections_CollectionId",
                        column: x => x.CollectionId,
                        principalTable: "TrainingCollections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AuditSamples",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Criteria = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    Blind = table.Column<bool>(type: "boolean", nullable: false),
                    ScorecardVersionId = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditSamples_ScorecardVersions_ScorecardVersionId",
                        column: x => x.ScorecardVersionId,
                        principalTable: "ScorecardVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Evaluations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    SampleId = table.Column<int>(type: "integer", nullable: true),
                    SampleItemId = table.Column<int>(type: "integer", nullable: true),
                    ScorecardVersionId = table.Column<int>(type: "integer", nullable: false),
                    Evaluator = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AgentExtension = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    AgentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CallStartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Blind = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Score = table.Column<decimal>(type: "numeric(5,1)", precision: 5, scale: 1, nullable: true),
                    RawScore = table.Column<decimal>(type: "numeric(5,1)", precision: 5, scale: 1, nullable: true),
                    CriticalFailed = table.Column<bool>(type: "boolean", nullable: false),
                    Notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SubmittedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReplacesId = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Evaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Evaluations_AuditSamples_SampleId",
                        column: x => x.SampleId,
                        principalTable: "AuditSamples",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Evaluations_Evaluations_ReplacesId",
                        column: x => x.ReplacesId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Evaluations_ScorecardVersions_ScorecardVersionId",
                        column: x => x.ScorecardVersionId,
                        principalTable: "ScorecardVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SampleItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SampleId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    AgentExtension = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    AgentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Team = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CallStartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SampleItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SampleItems_AuditSamples_SampleId",
                        column: x => x.SampleId,
                        principalTable: "AuditSamples",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationAnswers",
                columns: table => new
                {
                    EvaluationId = table.Column<int>(type: "integer", nullable: false),
                    QuestionKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Value = table.Column<decimal>(type: "numeric(7,2)", precision: 7, scale: 2, nullable: true),
                    NotApplicable = table.Column<bool>(type: "boolean", nullable: false),
                    Fraction = table.Column<decimal>(type: "numeric(5,4)", precision: 5, scale: 4, nullable: true),
                    StartMs = table.Column<int>(type: "integer", nullable: true),
                    EndMs = table.Column<int>(type: "integer", nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationAnswers", x => new { x.EvaluationId, x.QuestionKey });
                    table.ForeignKey(
                        name: "FK_EvaluationAnswers_Evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationDisputes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EvaluationId = table.Column<int>(type: "integer", nullable: false),
                    RaisedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ResolvedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ResolutionNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationDisputes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationDisputes_Evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Hash",
                table: "ApiKeys",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_Actor_At",
                table: "AuditLog",
                columns: new[] { "Actor", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_At",
                table: "AuditLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_RecordingId_At",
                table: "AuditLog",
                columns: new[] { "RecordingId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditSamples_CreatedAt",
                table: "AuditSamples",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AuditSamples_ScorecardVersionId",
                table: "AuditSamples",
                column: "ScorecardVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_CdrProblems_At",
                table: "CdrProblems",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_CdrRecords_LinkedId",
                table: "CdrRecords",
                column: "LinkedId");

            migrationBuilder.CreateIndex(
                name: "IX_CdrRecords_UniqueId",
                table: "CdrRecords",
                column: "UniqueId");

            migrationBuilder.CreateIndex(
                name: "IX_CollectionItems_CollectionId_Position",
                table: "CollectionItems",
                columns: new[] { "CollectionId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_CollectionItems_RecordingId",
                table: "CollectionItems",
                column: "RecordingId");

            migrationBuilder.CreateIndex(
                name: "IX_CollectionShares_Email",
                table: "CollectionShares",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_RecordingId",
                table: "DeletionRequests",
                column: "RecordingId");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_State_RequestedAt",
                table: "DeletionRequests",
                columns: new[] { "State", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationDisputes_EvaluationId",
                table: "EvaluationDisputes",
                column: "EvaluationId");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_AgentExtension",
                table: "Evaluations",
                column: "AgentExtension");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_Evaluator_State",
                table: "Evaluations",
                columns: new[] { "Evaluator", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_RecordingId",
                table: "Evaluations",
                column: "RecordingId");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_ReplacesId",
                table: "Evaluations",
                column: "ReplacesId");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_SampleId_SampleItemId",
                table: "Evaluations",
                columns: new[] { "SampleId", "SampleItemId" });

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_ScorecardVersionId",
                table: "Evaluations",
                column: "ScorecardVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_State_CallStartedAt",
                table: "Evaluations",
                columns: new[] { "State", "CallStartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IngestedFiles_Outcome_ProcessedAt",
                table: "IngestedFiles",
                columns: new[] { "Outcome", "ProcessedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IngestedFiles_RecordingId",
                table: "IngestedFiles",
                column: "RecordingId");

            migrationBuilder.CreateIndex(
                name: "IX_IngestedFiles_SourcePath",
                table: "IngestedFiles",
                column: "SourcePath",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegalHoldItems_RecordingId_ReleasedAt",
                table: "LegalHoldItems",
                columns: new[] { "RecordingId", "ReleasedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_CaseNumber",
                table: "LegalHolds",
                column: "CaseNumber");

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_LiftedAt",
                table: "LegalHolds",
                column: "LiftedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RecordingCases_CaseNumber",
                table: "RecordingCases",
                column: "CaseNumber");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CalleeDigits_Id",
                table: "Recordings",
                columns: new[] { "CalleeDigits", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CalleeDigits_Trigram",
                table: "Recordings",
                column: "CalleeDigits")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CallerDigits_Id",
                table: "Recordings",
                columns: new[] { "CallerDigits", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CallerDigits_Trigram",
                table: "Recordings",
                column: "CallerDigits")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CallId_Sha256",
                table: "Recordings",
                columns: new[] { "CallId", "Sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_DurationMs_Id_CallerDigits_CalleeDigits",
                table: "Recordings",
                columns: new[] { "DurationMs", "Id", "CallerDigits", "CalleeDigits" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Extension_StartedAt_Id",
                table: "Recordings",
                columns: new[] { "Extension", "StartedAt", "Id" })
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.NullsFirst, NullSortOrder.NullsLast, NullSortOrder.NullsLast });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_LinkedId",
                table: "Recordings",
                column: "LinkedId");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Sha256",
                table: "Recordings",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_SizeBytes_Id",
                table: "Recordings",
                columns: new[] { "SizeBytes", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_StartedAt_Id_CallerDigits_CalleeDigits",
                table: "Recordings",
                columns: new[] { "StartedAt", "Id", "CallerDigits", "CalleeDigits" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Team_StartedAt_Id",
                table: "Recordings",
                columns: new[] { "Team", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Type_DurationMs",
                table: "Recordings",
                columns: new[] { "Type", "DurationMs" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Type_StartedAt_Id",
                table: "Recordings",
                columns: new[] { "Type", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordingTags_Tag",
                table: "RecordingTags",
                column: "Tag");

            migrationBuilder.CreateIndex(
                name: "IX_RecordingTombstones_DeletedAt",
                table: "RecordingTombstones",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RecordingTombstones_FilesRemovedAt",
                table: "RecordingTombstones",
                column: "FilesRemovedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RecordingTombstones_Sha256",
                table: "RecordingTombstones",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_RetentionRules_Team_Type",
                table: "RetentionRules",
                columns: new[] { "Team", "Type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SampleItems_RecordingId",
                table: "SampleItems",
                column: "RecordingId");

            migrationBuilder.CreateIndex(
                name: "IX_SampleItems_SampleId_Position",
                table: "SampleItems",
                columns: new[] { "SampleId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Scorecards_Name",
                table: "Scorecards",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScorecardVersions_ScorecardId_Number",
                table: "ScorecardVersions",
                columns: new[] { "ScorecardId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SubjectRequests_HandledAt",
                table: "SubjectRequests",
                column: "HandledAt");

            migrationBuilder.CreateIndex(
                name: "IX_TimelineComments_RecordingId_StartMs",
                table: "TimelineComments",
                columns: new[] { "RecordingId", "StartMs" });

            // The app never edits or deletes audit entries; the database refuses it too.
            migrationBuilder.Sql("""
                CREATE FUNCTION "AuditLog_AppendOnly"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'The audit log is append-only.';
                END $$;
                """);
            migrationBuilder.Sql("""CREATE TRIGGER "AuditLog_NoChange" BEFORE UPDATE OR DELETE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION "AuditLog_AppendOnly"();""");
            migrationBuilder.Sql("""CREATE TRIGGER "AuditLog_NoTruncate" BEFORE TRUNCATE ON "AuditLog" FOR EACH STATEMENT EXECUTE FUNCTION "AuditLog_AppendOnly"();""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_NoTruncate" ON "AuditLog";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_NoChange" ON "AuditLog";""");
            migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "AuditLog_AppendOnly"();""");

            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AuditLog");

            migrationBuilder.DropTable(
                name: "CdrCursors");

            migrationBuilder.DropTable(
                name: "CdrProblems");

            migrationBuilder.DropTable(
                name: "CdrRecords");

            migrationBuilder.DropTable(
                name: "CollectionItems");

            migrationBuilder.DropTable(
                name: "CollectionShares");

            migrationBuilder.DropTable(
                name: "DeletionRequests");

            migrationBuilder.DropTable(
                name: "Directory");

            migrationBuilder.DropTable(
                name: "EvaluationAnswers");

            migrationBuilder.DropTable(
                name: "EvaluationDisputes");

            migrationBuilder.DropTable(
                name: "IngestedFiles");

            migrationBuilder.DropTable(
                name: "LegalHoldItems");

            migrationBuilder.DropTable(
                name: "RecordingCases");

            migrationBuilder.DropTable(
                name: "RecordingTags");

            migrationBuilder.DropTable(
                name: "RecordingTombstones");

            migrationBuilder.DropTable(
                name: "RetentionRules");

            migrationBuilder.DropTable(
                name: "SampleItems");

            migrationBuilder.DropTable(
                name: "SubjectRequests");

            migrationBuilder.DropTable(
                name: "TeamSettings");

            migrationBuilder.DropTable(
                name: "TimelineComments");

            migrationBuilder.DropTable(
                name: "Waveforms");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "TrainingCollections");

            migrationBuilder.DropTable(
                name: "Evaluations");

            migrationBuilder.DropTable(
                name: "LegalHolds");

            migrationBuilder.DropTable(
                name: "Recordings");

            migrationBuilder.DropTable(
                name: "AuditSamples");

            migrationBuilder.DropTable(
                name: "ScorecardVersions");

            migrationBuilder.DropTable(
                name: "Scorecards");
        }
    }
}
