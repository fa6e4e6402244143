using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallHistoryTalkIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_TalkSeconds_Id",
                table: "Calls");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_TalkSeconds_Id_CallerDigits_CalleeDigits",
                table: "Calls",
                columns: new[] { "TalkSeconds", "Id", "CallerDigits", "CalleeDigits" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_TalkSeconds_Id_CallerDigits_CalleeDigits",
                table: "Calls");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_TalkSeconds_Id",
                table: "Calls",
                columns: new[] { "TalkSeconds", "Id" });
        }
    }
}
