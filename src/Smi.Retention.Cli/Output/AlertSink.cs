using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// The alerts a run's removals send: counted for the summary (how many, to how many Service Users,
/// how many with no Service User recorded) and, with <c>--alerts</c>, written one line per alert,
/// grouped by Service User as the library groups them (<see cref="RemovalAlerts.ByServiceUser"/>),
/// once the pass is over; the file is committed with the other outputs.
/// </summary>
internal sealed class AlertSink(OutputFile? file, PolicyEvaluator evaluator)
{
    /// <summary>The alerts file's header: one line per alert.</summary>
    public const string Header = "notifying_party,device_id,device_type,alert,rule,policy_sha256";

    private readonly List<RemovalEvidence>? _alerts = file is null ? null : [];
    private readonly HashSet<string> _serviceUsers = new(StringComparer.Ordinal);

    /// <summary>How many removals send an alert.</summary>
    public long Total { get; private set; }

    /// <summary>How many of them have no Service User recorded to send it to.</summary>
    public long WithoutServiceUser { get; private set; }

    /// <summary>How many Service Users receive alerts.</summary>
    public int ServiceUsers => _serviceUsers.Count;

    /// <summary>Takes one removal (in input order); one with no alert is not an alert.</summary>
    public void Add(in DeviceRecord device, in RetentionDecision decision)
    {
        if (decision.Alert is null)
        {
            return;
        }

        Total++;
        if (device.NotifyingParty is { } party)
        {
            _serviceUsers.Add(party);
        }
        else
        {
            WithoutServiceUser++;
        }

        _alerts?.Add(RemovalEvidence.Of(evaluator, device, decision));
    }

    /// <summary>Writes the alerts file, if any, grouped by Service User (it is committed with the other outputs).</summary>
    public void Complete()
    {
        if (file is null)
        {
            return;
        }

        var csv = new CsvOutput(file, Header);
        foreach (var group in RemovalAlerts.ByServiceUser(_alerts!))
        {
            foreach (var alert in group.Alerts)
            {
                csv.Field(group.ServiceUser);
                csv.Field(alert.DeviceId);
                csv.Field(alert.DeviceType.ToString());
                csv.Field(alert.Alert);
                csv.Field(alert.Rule);
                csv.Field(alert.PolicyHash);
                csv.EndRow();
            }
        }

        csv.Complete();
    }
}
