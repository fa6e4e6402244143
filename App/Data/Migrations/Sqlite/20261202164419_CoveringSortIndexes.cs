using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CoveringSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Recordings_DurationMs_Id",
                table: "Recordings");

            migrationBuilder.DropIndex(
                name: "IX_Recordings_StartedAt_Id",
                table: "Recordings");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_DurationMs_Id_CallerDigits_CalleeDigits",
                table: "Recordings",
                columns: new[] { "DurationMs", "Id", "CallerDigits", "CalleeDigits" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_StartedAt_Id_CallerDigits_CalleeDigits",
                table: "Recordings",
                columns: new[] { "StartedAt", "Id", "CallerDigits", "CalleeDigits" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Recordings_DurationMs_Id_CallerDigits_CalleeDigits",
                table: "Recordings");

            migrationBuilder.DropIndex(
                name: "IX_Recordings_StartedAt_Id_CallerDigits_CalleeDigits",
                table: "Recordings");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_DurationMs_Id",
                table: "Recordings",
                columns: new[] { "DurationMs", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_StartedAt_Id",
                table: "Recordings",
                columns: new[] { "StartedAt", "Id" });
        }
    }
}
