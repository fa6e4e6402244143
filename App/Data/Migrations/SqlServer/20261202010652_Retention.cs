using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RetainUntil",
                table: "Recordings");

            migrationBuilder.AddColumn<bool>(
                name: "MayDeleteRecordings",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DeletionRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    DecisionNote = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletionRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CaseNumber = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    Scope = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    PlacedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LiftedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    LiftedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LiftReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RecordingTombstones",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    CallId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DurationMs = table.Column<int>(type: "int", nullable: false),
                    IngestedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Sha256 = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Cause = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Rule = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    DeletedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    PendingKeys = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    FilesRemovedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
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
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Team = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Type = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    Days = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SubjectRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    MaskedNumber = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Reference = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    HandledBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    HandledAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Receipt = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHoldItems",
                columns: table => new
                {
                    HoldId = table.Column<long>(type: "bigint", nullable: false),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    AddedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ReleasedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ReleasedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ReleaseReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
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

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_RecordingId",
                table: "DeletionRequests",
                column: "RecordingId");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_State_RequestedAt",
                table: "DeletionRequests",
                columns: new[] { "State", "RequestedAt" });

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
                unique: true,
                filter: "[Team] IS NOT NULL AND [Type] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SubjectRequests_HandledAt",
                table: "SubjectRequests",
                column: "HandledAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeletionRequests");

            migrationBuilder.DropTable(
                name: "LegalHoldItems");

            migrationBuilder.DropTable(
                name: "RecordingTombstones");

            migrationBuilder.DropTable(
                name: "RetentionRules");

            migrationBuilder.DropTable(
                name: "SubjectRequests");

            migrationBuilder.DropTable(
                name: "LegalHolds");

            migrationBuilder.DropColumn(
                name: "MayDeleteRecordings",
                table: "AspNetUsers");

            migrationBuilder.AddColumn<DateTime>(
                name: "RetainUntil",
                table: "Recordings",
                type: "datetime2",
                nullable: true);
        }
    }
}
