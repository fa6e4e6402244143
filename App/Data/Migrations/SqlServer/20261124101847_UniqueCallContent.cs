using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UniqueCallContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Recordings_CallId",
                table: "Recordings");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CallId_Sha256",
                table: "Recordings",
                columns: new[] { "CallId", "Sha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Recordings_CallId_Sha256",
                table: "Recordings");

            migrationBuilder.CreateIndex(
                name: "IX_Recordings_CallId",
                table: "Recordings",
                column: "CallId");
        }
    }
}
