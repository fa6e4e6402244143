using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SampleEvaluatorsAndMode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Calibration",
                table: "AuditSamples",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Evaluators",
                table: "AuditSamples",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Calibration",
                table: "AuditSamples");

            migrationBuilder.DropColumn(
                name: "Evaluators",
                table: "AuditSamples");
        }
    }
}
