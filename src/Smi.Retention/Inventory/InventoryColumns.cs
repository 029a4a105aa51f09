namespace Smi.Retention.Inventory;

/// <summary>The inventory CSV contract: columns matched by name (any case), in any order; extra columns ignored.</summary>
internal static class InventoryColumns
{
    public const string DeviceId = "device_id";
    public const string DeviceType = "device_type";
    public const string Status = "status";
    public const string StatusSince = "status_since";
    public const string PriorStatuses = "prior_statuses";
    public const string NotifyingParty = "notifying_party";
    public const string DeviceModel = "device_model";
    public const string SmetsGeneration = "smets_generation";

    /// <summary>The optional columns, each matched by name like the required ones; a missing one (or an empty value) is unknown.</summary>
    public static readonly string[] Optional = [NotifyingParty, SmetsGeneration, DeviceModel];

    public static readonly string[] Required = [DeviceId, DeviceType, Status, StatusSince, PriorStatuses];

    public const string Header = "device_id,device_type,status,status_since,prior_statuses";

    /// <summary>Every column the reader reads, as <c>generate</c> writes them.</summary>
    public const string FullHeader = Header + "," + SmetsGeneration + "," + DeviceModel + "," + NotifyingParty;
}
