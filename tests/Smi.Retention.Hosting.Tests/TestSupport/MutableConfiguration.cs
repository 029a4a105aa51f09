using Microsoft.Extensions.Configuration;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>A configuration source whose keys a test edits while the host runs, raising the change notification as a reloaded file would.</summary>
public sealed class MutableConfiguration(IDictionary<string, string?> initial) : IConfigurationSource
{
    private readonly Provider _provider = new(initial);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    /// <summary>Sets a key (null removes it) and notifies every listener, on this thread.</summary>
    public void Change(string key, string? value)
    {
        _provider.Put(key, value);
        _provider.Changed();
    }

    private sealed class Provider : ConfigurationProvider
    {
        public Provider(IDictionary<string, string?> initial)
        {
            foreach (var (key, value) in initial)
            {
                Data[key] = value;
            }
        }

        public void Put(string key, string? value)
        {
            if (value is null)
            {
                Data.Remove(key);
            }
            else
            {
                Data[key] = value;
            }
        }

        public void Changed() => OnReload();
    }
}
