namespace MLPipelines.Data;

/// <summary>Where the shared default models live (models/digits.zip, models/greek.zip): $MLP_MODELS, else the project's models/.</summary>
public static class DefaultModels
{
    /// <summary>Overrides the folder.</summary>
    public const string FolderVariable = "MLP_MODELS";

    public static string Folder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } env ? Path.GetFullPath(env)
            : Path.Combine(ProjectRoot.FindOrCurrent(), "models");

    /// <summary>The committed digit model, the one transfers start from.</summary>
    public static string Digits => Path.Combine(Folder, "digits.zip");
}
