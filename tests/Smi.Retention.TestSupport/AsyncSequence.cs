namespace Smi.Retention.Tests.TestSupport;

/// <summary>Devices as an asynchronous stream, as a database reader hands them over.</summary>
public static class AsyncSequence
{
    public static async IAsyncEnumerable<DeviceRecord> Of(IEnumerable<DeviceRecord> devices)
    {
        foreach (var device in devices)
        {
            yield return device;
        }

        await Task.CompletedTask;
    }
}
