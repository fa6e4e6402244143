using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Calls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LinkedId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CallerNumber = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    CallerDigits = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CalleeNumber = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    CalleeDigits = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Did = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    Extension = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Team = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Queue = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Disposition = table.Column<int>(type: "INTEGER", nullable: false),
                    RingSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    TalkSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Legs = table.Column<int>(type: "INTEGER", nullable: false),
                    Erased = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Calls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CallSummaryCursor",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastCdrId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallSummaryCursor", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CdrRecords_StartedAt",
                table: "CdrRecords",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CalleeDigits_Id",
                table: "Calls",
                columns: new[] { "CalleeDigits", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CallerDigits_Id",
                table: "Calls",
                columns: new[] { "CallerDigits", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Did_StartedAt_Id",
                table: "Calls",
                columns: new[] { "Did", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Disposition_StartedAt_Id",
                table: "Calls",
                columns: new[] { "Disposition", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Extension_StartedAt_Id",
                table: "Calls",
                columns: new[] { "Extension", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_LinkedId",
                table: "Calls",
                column: "LinkedId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Queue_StartedAt_Id",
                table: "Calls",
                columns: new[] { "Queue", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_RingSeconds_Id",
                table: "Calls",
                columns: new[] { "RingSeconds", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_StartedAt_Id_CallerDigits_CalleeDigits",
                table: "Calls",
                columns: new[] { "StartedAt", "Id", "CallerDigits", "CalleeDigits" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_TalkSeconds_Id",
                table: "Calls",
                columns: new[] { "TalkSeconds", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Team_StartedAt_Id",
                table: "Calls",
                columns: new[] { "Team", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Type_StartedAt_Id",
                table: "Calls",
                columns: new[] { "Type", "StartedAt", "Id" });

            // As RecordingNumbers: an FTS5 trigram index over the call's digits, so a number fragment of 3+ digits is found
            // without scanning a million calls; kept in step by triggers.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE CallNumbers USING fts5(
                    CallerDigits, CalleeDigits, content='Calls', content_rowid='Id', tokenize='trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Calls_NumbersInsert AFTER INSERT ON Calls BEGIN
                    INSERT INTO CallNumbers(rowid, CallerDigits, CalleeDigits) VALUES (new.Id, new.CallerDigits, new.CalleeDigits);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Calls_NumbersDelete AFTER DELETE ON Calls BEGIN
                    INSERT INTO CallNumbers(CallNumbers, rowid, CallerDigits, CalleeDigits) VALUES ('delete', old.Id, old.CallerDigits, old.CalleeDigits);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Calls_NumbersUpdate AFTER UPDATE OF CallerDigits, CalleeDigits ON Calls BEGIN
                    INSERT INTO CallNumbers(CallNumbers, rowid, CallerDigits, CalleeDigits) VALUES ('delete', old.Id, old.CallerDigits, old.CalleeDigits);
                    INSERT INTO CallNumbers(rowid, CallerDigits, CalleeDigits) VALUES (new.Id, new.CallerDigits, new.CalleeDigits);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Calls_NumbersUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Calls_NumbersDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Calls_NumbersInsert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS CallNumbers;");

            migrationBuilder.DropTable(
                name: "Calls");

            migrationBuilder.DropTable(
                name: "CallSummaryCursor");

            migrationBuilder.DropIndex(
                name: "IX_CdrRecords_StartedAt",
                table: "CdrRecords");
        }
    }
}
