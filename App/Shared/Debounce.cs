namespace NagrywanieRozmow.Shared;

/// <summary>
/// Runs an action once typing pauses: each call waits <paramref name="delay"/> and gives way to a newer call made meanwhile.
/// A filter field applies 300 ms after the last keystroke this way, and Enter (<see cref="Cancel"/>, then apply) at once.
/// </summary>
public sealed class Debounce(TimeSpan delay) : IDisposable
{
    private CancellationTokenSource? pending;

    public static Debounce Typing() => new(TimeSpan.FromMilliseconds(300));

    public async Task RunAsync(Func<Task> action)
    {
        pending?.Cancel();
        var mine = pending = new CancellationTokenSource();
        try
        {
            await Task.Delay(delay, mine.Token);
        }
        catch (TaskCanceledException)
        {
            return;
        }
        await action();
    }

    public void Cancel() => pending?.Cancel();

    public void Dispose() => pending?.Cancel();
}
