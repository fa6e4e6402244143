using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ArchiveTier : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ArchiveDays",
                table: "RetentionRules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Tier",
                table: "Recordings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "ArchiveMoves",
                columns: table => new
                {
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Rule = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArchiveMoves", x => x.RecordingId);
                });

            migrationBuilder.CreateTable(
                name: "RecordingRestores",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RecordingId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReadyAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReturnAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReturnedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordingRestores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecordingRestores_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Tier_StartedAt_Id",
                table: "Recordings",
                columns: new[] { "Tier", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordingRestores_RecordingId_Id",
                table: "RecordingRestores",
                columns: new[] { "RecordingId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordingRestores_State_RecordingId",
                table: "RecordingRestores",
                columns: new[] { "State", "RecordingId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArchiveMoves");

            migrationBuilder.DropTable(
                name: "RecordingRestores");

            migrationBuilder.DropIndex(
                name: "IX_Recordings_Tier_StartedAt_Id",
                table: "Recordings");

            migrationBuilder.DropColumn(
                name: "ArchiveDays",
                table: "RetentionRules");

            migrationBuilder.DropColumn(
                name: "Tier",
                table: "Recordings");
        }
    }
}
