namespace MLPipelines.Animals.Data;

/// <summary>Kaggle's Animals-10 names its class folders in Italian (<c>raw-img/cane/</c>); these are the English names.</summary>
public static class Animals10Names
{
    public static IReadOnlyDictionary<string, string> ItalianToEnglish { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["cane"] = "dog",
        ["cavallo"] = "horse",
        ["elefante"] = "elephant",
        ["farfalla"] = "butterfly",
        ["gallina"] = "chicken",
        ["gatto"] = "cat",
        ["mucca"] = "cow",
        ["pecora"] = "sheep",
        ["ragno"] = "spider",
        ["scoiattolo"] = "squirrel",
    };

    /// <summary>English names when every folder is an Animals-10 Italian name, else the folder names as they are.</summary>
    public static IReadOnlyList<string> Translate(IReadOnlyList<string> folders) =>
        folders.Count > 0 && folders.All(ItalianToEnglish.ContainsKey)
            ? folders.Select(f => ItalianToEnglish[f]).ToList()
            : folders;
}
