namespace Smi.Retention.Inventory;

/// <summary>
/// The distinct device models a reading has met, for the checks of the models a rule names
/// (<c>PolicyLint.CheckModels</c>): at most <see cref="DetailsTable.MaxKept"/>, so that a hostile
/// inventory with a new model on every row costs no table that grows without end; past it, none
/// is answered, and each model a rule names is said to be unchecked.
/// </summary>
internal sealed class ModelsMet
{
    private readonly HashSet<string> _models = new(StringComparer.Ordinal);

    /// <summary>Notes <paramref name="model"/> as met.</summary>
    public void Add(string model)
    {
        if (_models.Count <= DetailsTable.MaxKept)
        {
            _models.Add(model);
        }
    }

    /// <summary>The models met, or null when there were more than <see cref="DetailsTable.MaxKept"/>.</summary>
    public IReadOnlySet<string>? Models => _models.Count > DetailsTable.MaxKept ? null : _models;
}
