using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace NagrywanieRozmow.Shared;

/// <summary>
/// <c>js/grid-rows.js</c>: gives a grid's rows their class and id as MudBlazor renders them (keyboard, tests, styling),
/// for the panel, the audit log and the call history alike.
/// </summary>
public static class GridRows
{
    /// <summary>
    /// Marks the rows under <paramref name="grid"/>; null when the person left the page before the module came (the grid it
    /// would mark is gone, and an exception here would end the whole circuit).
    /// </summary>
    public static async Task<IJSObjectReference?> MarkAsync(IJSRuntime js, ElementReference grid, string rowClass, string idClassPrefix, string dataName)
    {
        IJSObjectReference? module = null;
        try
        {
            module = await js.InvokeAsync<IJSObjectReference>("import", "./js/grid-rows.js");
            await module.InvokeVoidAsync("markRows", grid, rowClass, idClassPrefix, dataName);
            return module;
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or TaskCanceledException)
        {
            Release(module);
            return null;
        }
    }

    /// <summary>Lets the module go when the page does; the circuit may be gone already, which needs nothing more.</summary>
    public static void Release(IJSObjectReference? module) =>
        _ = module?.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
}
