using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RecordingTranscripts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RecordingTranscripts",
                columns: table => new
                {
                    RecordingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    SearchText = table.Column<string>(type: "TEXT", nullable: false),
                    Segments = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordingTranscripts", x => x.RecordingId);
                    table.ForeignKey(
                        name: "FK_RecordingTranscripts_Recordings_RecordingId",
                        column: x => x.RecordingId,
                        principalTable: "Recordings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // What was said, indexed folded (SearchText) by word; the triggers keep it in step, the recording's cascade included.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE TranscriptWords USING fts5(
                    SearchText, content='RecordingTranscripts', content_rowid='RecordingId', tokenize='unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER RecordingTranscripts_WordsInsert AFTER INSERT ON RecordingTranscripts BEGIN
                    INSERT INTO TranscriptWords(rowid, SearchText) VALUES (new.RecordingId, new.SearchText);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER RecordingTranscripts_WordsDelete AFTER DELETE ON RecordingTranscripts BEGIN
                    INSERT INTO TranscriptWords(TranscriptWords, rowid, SearchText) VALUES ('delete', old.RecordingId, old.SearchText);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER RecordingTranscripts_WordsUpdate AFTER UPDATE OF SearchText ON RecordingTranscripts BEGIN
                    INSERT INTO TranscriptWords(TranscriptWords, rowid, SearchText) VALUES ('delete', old.RecordingId, old.SearchText);
                    INSERT INTO TranscriptWords(rowid, SearchText) VALUES (new.RecordingId, new.SearchText);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS RecordingTranscripts_WordsUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS RecordingTranscripts_WordsDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS RecordingTranscripts_WordsInsert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS TranscriptWords;");
            migrationBuilder.DropTable(
                name: "RecordingTranscripts");
        }
    }
}
