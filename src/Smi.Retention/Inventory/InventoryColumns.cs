namespace Smi.Retention.Inventory;

/// <summary>The inventory CSV contract: columns matched by name, in any order; extra columns ignored.</summary>
internal static class InventoryColumns
{
    public const string DeviceId = "device_id";
    public const string DeviceType = "device_type";
    public const string Status = "status";
    public const string StatusSince = "status_since";
    public const string PriorStatuses = "prior_statuses";
    public const string NotifyingParty = "notifying_party";

    public static readonly string[] Required = [DeviceId, DeviceType, Status, StatusSince, PriorStatuses];

    public const string Header = "device_id,device_type,status,status_since,prior_statuses";
}
