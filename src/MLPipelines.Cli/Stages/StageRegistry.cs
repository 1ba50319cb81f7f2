namespace MLPipelines.Cli.Stages;

/// <summary>Every <see cref="IStage"/> in this program, in run order: adding a stage is adding a class.</summary>
public static class StageRegistry
{
    public static IReadOnlyList<IStage> All() => typeof(IStage).Assembly.GetTypes()
        .Where(t => typeof(IStage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IStage)Activator.CreateInstance(t)!)
        .OrderBy(s => s.Order).ThenBy(s => s.Name, StringComparer.Ordinal)
        .ToList();
}
