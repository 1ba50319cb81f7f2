using System.Reflection;

namespace MLPipelines.Reporting.Report;

/// <summary>
/// Finds every <see cref="IReportSection"/>: in this assembly, the program's entry assembly and every assembly it
/// references that references this one. Adding a section is adding a class.
/// </summary>
public static class ReportSections
{
    public static IReadOnlyList<IReportSection> Discover(params Assembly[] extra)
    {
        var assemblies = new HashSet<Assembly> { typeof(IReportSection).Assembly };
        foreach (var a in extra) assemblies.Add(a);
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            assemblies.Add(entry);
            foreach (var name in entry.GetReferencedAssemblies())
            {
                var loaded = TryLoad(name);
                if (loaded is not null && References(loaded, typeof(IReportSection).Assembly)) assemblies.Add(loaded);
            }
        }
        return assemblies
            .SelectMany(Types)
            .Where(t => typeof(IReportSection).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IReportSection)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Order).ThenBy(s => s.Title, StringComparer.Ordinal)
            .ToList();
    }

    private static bool References(Assembly a, Assembly target) =>
        a == target || a.GetReferencedAssemblies().Any(n => AssemblyName.ReferenceMatchesDefinition(n, target.GetName()));

    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    private static IEnumerable<Type> Types(Assembly a)
    {
        try
        {
            return a.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
