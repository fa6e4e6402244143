// Npgsql's SQL generator is internal EF Core infrastructure; extending it is the only way to reach ORDER BY. A change to
// it in a later Npgsql breaks the build, not the ordering.
#pragma warning disable EF1001
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NagrywanieRozmow.Features.Recordings;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Npgsql.EntityFrameworkCore.PostgreSQL.Query.Internal;

namespace NagrywanieRozmow.Data;

public sealed class PostgreSqlAppDbContext(DbContextOptions<PostgreSqlAppDbContext> options) : AppDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ReplaceService<IQuerySqlGeneratorFactory, NullsFirstQuerySqlGeneratorFactory>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Npgsql maps DateTime to timestamptz and refuses to write a Kind other than Utc; everything stored is UTC, so a value
        // made without a kind is taken as UTC, as SQLite and SQL Server take it. The column stays timestamptz (a converter to
        // the same type), so parameters compare natively and the date indexes are used.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcTimestampConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcTimestampConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // What SQLite's FTS5 trigram table does: a number fragment's LIKE '%…%' walks a GIN trigram index instead of the table.
        // No separate table and no triggers: the index lives on the columns and PostgreSQL keeps it current.
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Recording>().HasIndex(r => r.CallerDigits, "IX_Recordings_CallerDigits_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.Entity<Recording>().HasIndex(r => r.CalleeDigits, "IX_Recordings_CalleeDigits_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
        // Ordered as the queries order it (see NullsFirstQuerySqlGenerator), so "by extension" still walks this index.
        builder.Entity<Recording>().HasIndex(r => new { r.Extension, r.StartedAt, r.Id }).HasNullSortOrder(NullSortOrder.NullsFirst, NullSortOrder.NullsLast, NullSortOrder.NullsLast);
    }
}

/// <summary>
/// Orders NULL as SQLite and SQL Server do, below every value: <c>ASC NULLS FIRST</c>, <c>DESC NULLS LAST</c> (PostgreSQL's
/// defaults are the reverse). The panel's "by extension" order and its keyset cursor rely on it. A key that cannot be NULL
/// gets no option, so the ordinary indexes keep serving the date, duration and id orders.
/// </summary>
public sealed class NullsFirstQuerySqlGenerator(QuerySqlGeneratorDependencies dependencies, IRelationalTypeMappingSource typeMappings, INpgsqlSingletonOptions npgsql)
    : NpgsqlQuerySqlGenerator(dependencies, typeMappings, npgsql.ReverseNullOrderingEnabled, npgsql.PostgresVersion)
{
    protected override Expression VisitOrdering(OrderingExpression ordering)
    {
        var visited = base.VisitOrdering(ordering);
        var mayBeNull = ordering.Expression switch
        {
            ColumnExpression column => column.IsNullable,
            SqlConstantExpression constant => constant.Value is null,
            SqlUnaryExpression { OperatorType: ExpressionType.Equal or ExpressionType.NotEqual } => false,
            _ => true,
        };
        if (mayBeNull) Sql.Append(ordering.IsAscending ? " NULLS FIRST" : " NULLS LAST");
        return visited;
    }
}

public sealed class NullsFirstQuerySqlGeneratorFactory(QuerySqlGeneratorDependencies dependencies, IRelationalTypeMappingSource typeMappings, INpgsqlSingletonOptions npgsql)
    : IQuerySqlGeneratorFactory
{
    public QuerySqlGenerator Create() => new NullsFirstQuerySqlGenerator(dependencies, typeMappings, npgsql);
}

public sealed class UtcTimestampConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAppDbContext>
{
    public PostgreSqlAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlAppDbContext>()
            .UseNpgsql("Host=localhost;Database=nagrywanie_rozmow;Username=postgres").Options);
}
