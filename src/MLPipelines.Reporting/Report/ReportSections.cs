using System.Reflection;

namespace MLPipelines.Reporting.Report;

/// <summary>
/// Finds every <see cref="IReportSection"/>: in this assembly, the program's entry assembly and the assemblies given,
/// and every assembly those reference that references this one. Adding a section is adding a class.
/// </summary>
public static class ReportSections
{
    /// <param name="roots">Assemblies to search besides the entry assembly, with their references (the program's own,
    /// so that the sections are found when it runs inside another host, such as a test runner).</param>
    public static IReadOnlyList<IReportSection> Discover(params Assembly[] roots)
    {
        var assemblies = new HashSet<Assembly> { typeof(IReportSection).Assembly };
        foreach (var root in roots.Append(Assembly.GetEntryAssembly()).OfType<Assembly>())
        {
            assemblies.Add(root);
            foreach (var name in root.GetReferencedAssemblies())
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
