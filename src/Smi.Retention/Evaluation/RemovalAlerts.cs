namespace Smi.Retention.Evaluation;

/// <summary>
/// The alerts a run's removals send (DCC Alert N8 for a device other than a Communications Hub),
/// addressed: grouped by the notifying Service User, who must receive them (SEC Appendix AC 7.2).
/// The tool's <c>run --alerts</c> and the host's removal sink take the same grouping from here.
/// </summary>
public static class RemovalAlerts
{
    /// <summary>
    /// The removals that send an alert, grouped by Service User in ordinal order of their names,
    /// each group in the order given; the alerts of devices whose Service User is not recorded come
    /// last, in a group whose <see cref="ServiceUserAlerts.ServiceUser"/> is null.
    /// </summary>
    /// <param name="removals">The removals' evidence, in inventory order.</param>
    /// <returns>The groups; every removal with an alert is in exactly one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="removals"/> is null.</exception>
    public static IReadOnlyList<ServiceUserAlerts> ByServiceUser(IEnumerable<RemovalEvidence> removals)
    {
        ArgumentNullException.ThrowIfNull(removals);
        var groups = new Dictionary<string, List<RemovalEvidence>>(StringComparer.Ordinal);
        var unaddressed = new List<RemovalEvidence>();
        foreach (var removal in removals)
        {
            if (removal.Alert is null)
            {
                continue;
            }

            if (removal.NotifyingParty is not { } party)
            {
                unaddressed.Add(removal);
                continue;
            }

            if (!groups.TryGetValue(party, out var alerts))
            {
                groups[party] = alerts = [];
            }

            alerts.Add(removal);
        }

        var result = groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ServiceUserAlerts(g.Key, g.Value)).ToList();
        if (unaddressed.Count > 0)
        {
            result.Add(new ServiceUserAlerts(null, unaddressed));
        }

        return result;
    }
}
