using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CallHasRecording : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HasRecording",
                table: "Calls",
                type: "bit",
                nullable: false,
                defaultValue: false);

            // Calls stored before the flag existed: recorded when a recording names the call, or one of its legs.
            migrationBuilder.Sql(@"UPDATE Calls SET HasRecording = 1 WHERE EXISTS (SELECT 1 FROM Recordings r WHERE r.LinkedId = Calls.LinkedId)
    OR EXISTS (SELECT 1 FROM Recordings r WHERE r.CallId = Calls.LinkedId)
    OR EXISTS (SELECT 1 FROM CdrRecords d JOIN Recordings r ON r.CallId = d.UniqueId WHERE d.LinkedId = Calls.LinkedId);");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_HasRecording_StartedAt_Id",
                table: "Calls",
                columns: new[] { "HasRecording", "StartedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_HasRecording_TalkSeconds_Id",
                table: "Calls",
                columns: new[] { "HasRecording", "TalkSeconds", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_HasRecording_StartedAt_Id",
                table: "Calls");

            migrationBuilder.DropIndex(
                name: "IX_Calls_HasRecording_TalkSeconds_Id",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "HasRecording",
                table: "Calls");
        }
    }
}
