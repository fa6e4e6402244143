using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Ingestion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Disposition",
                table: "Recordings",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TypeIsGuess",
                table: "Recordings",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Problem",
                table: "IngestedFiles",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CdrCursors",
                columns: table => new
                {
                    Path = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    Lines = table.Column<long>(type: "bigint", nullable: false),
                    Head = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Path = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    LineNumber = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Line = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false)
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
                        .Annotation("SqlServer:Identity", "1, 1"),
                    UniqueId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    LinkedId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Source = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    Destination = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    Context = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    DestinationChannel = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DurationSeconds = table.Column<int>(type: "int", nullable: false),
                    BillSeconds = table.Column<int>(type: "int", nullable: false),
                    Disposition = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ReadAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CdrRecords", x => x.Id);
                });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CdrCursors");

            migrationBuilder.DropTable(
                name: "CdrProblems");

            migrationBuilder.DropTable(
                name: "CdrRecords");

            migrationBuilder.DropColumn(
                name: "Disposition",
                table: "Recordings");

            migrationBuilder.DropColumn(
                name: "TypeIsGuess",
                table: "Recordings");

            migrationBuilder.DropColumn(
                name: "Problem",
                table: "IngestedFiles");
        }
    }
}
