using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Not DropColumn: EF rebuilds the table for that on SQLite, which would drop the full-text triggers with it.
            migrationBuilder.Sql("ALTER TABLE \"Recordings\" DROP COLUMN \"RetainUntil\";");

            migrationBuilder.AddColumn<bool>(
                name: "MayDeleteRecordings",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DeletionRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RecordingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletionRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PlacedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PlacedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LiftedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    LiftedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LiftReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RecordingTombstones",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationMs = table.Column<int>(type: "INTEGER", nullable: false),
                    IngestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    DeletedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PendingKeys = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    FilesRemovedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordingTombstones", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Team = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Days = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SubjectRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MaskedNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    HandledBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    HandledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Receipt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHoldItems",
                columns: table => new
                {
                    HoldId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordingId = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReleasedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ReleaseReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
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
                unique: true);

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

            migrationBuilder.AddColumn<long>(
                name: "RetainUntil",
                table: "Recordings",
                type: "INTEGER",
                nullable: true);
        }
    }
}
