using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NagrywanieRozmow.Data.Migrations.SqlServer
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    LinkedId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CallerNumber = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    CallerDigits = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CalleeNumber = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    CalleeDigits = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Did = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: true),
                    Extension = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    UserName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Team = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Queue = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: true),
                    Type = table.Column<int>(type: "int", nullable: false),
                    Disposition = table.Column<int>(type: "int", nullable: false),
                    RingSeconds = table.Column<int>(type: "int", nullable: false),
                    TalkSeconds = table.Column<int>(type: "int", nullable: false),
                    Legs = table.Column<int>(type: "int", nullable: false),
                    Erased = table.Column<bool>(type: "bit", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Calls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CallSummaryCursor",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    LastCdrId = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
