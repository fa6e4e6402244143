using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TypeStartedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Recordings_Type_StartedAt_Id",
                table: "Recordings",
                columns: new[] { "Type", "StartedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Recordings_Type_StartedAt_Id",
                table: "Recordings");
        }
    }
}
