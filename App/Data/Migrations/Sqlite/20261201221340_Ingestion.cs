using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TypeIsGuess",
                table: "Recordings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Problem",
                table: "IngestedFiles",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CdrCursors",
                columns: table => new
                {
                    Path = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Offset = table.Column<long>(type: "INTEGER", nullable: false),
                    Lines = table.Column<long>(type: "INTEGER", nullable: false),
                    Head = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CdrCursors", x => x.Path);
                });

            migrationBuilder.CreateTable(
                name: "CdrProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Path = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    LineNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Line = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CdrProblems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CdrRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UniqueId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LinkedId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Context = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    DestinationChannel = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    BillSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Disposition = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: false)
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
