using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
{
    /// <summary>
    /// FTS5 trigram index over the normalised caller and callee digits: a number fragment of 3+ digits is found without
    /// scanning the table. Kept in sync by triggers; EnsureCreated would skip it, so the database is always migrated.
    /// </summary>
    public partial class NumberSearchIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE RecordingNumbers USING fts5(
                    CallerDigits, CalleeDigits, content='Recordings', content_rowid='Id', tokenize='trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Recordings_NumbersInsert AFTER INSERT ON Recordings BEGIN
                    INSERT INTO RecordingNumbers(rowid, CallerDigits, CalleeDigits) VALUES (new.Id, new.CallerDigits, new.CalleeDigits);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Recordings_NumbersDelete AFTER DELETE ON Recordings BEGIN
                    INSERT INTO RecordingNumbers(RecordingNumbers, rowid, CallerDigits, CalleeDigits) VALUES ('delete', old.Id, old.CallerDigits, old.CalleeDigits);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Recordings_NumbersUpdate AFTER UPDATE OF CallerDigits, CalleeDigits ON Recordings BEGIN
                    INSERT INTO RecordingNumbers(RecordingNumbers, rowid, CallerDigits, CalleeDigits) VALUES ('delete', old.Id, old.CallerDigits, old.CalleeDigits);
                    INSERT INTO RecordingNumbers(rowid, CallerDigits, CalleeDigits) VALUES (new.Id, new.CallerDigits, new.CalleeDigits);
                END;
                """);
            migrationBuilder.Sql("INSERT INTO RecordingNumbers(RecordingNumbers) VALUES ('rebuild');");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Recordings_NumbersUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Recordings_NumbersDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Recordings_NumbersInsert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS RecordingNumbers;");
        }
    }
}
