namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Told after CDR rows were stored (each chunk of Master.csv, committed), so features built on the CDR (the call history)
/// follow it within seconds without Ingestion knowing them.
/// </summary>
public interface ICdrRowsListener
{
    Task CdrRowsStoredAsync(CancellationToken ct);
}
