using System.Globalization;

namespace MLPipelines.Sweeps.Space;

/// <summary>
/// The parameters a study varies, in order. Declared in code or parsed from text:
/// <c>dropout=0.3,0.4,0.5;batch=40,80;kernel=4,5;lr=0.001..0.1:log:3;hidden=20..80:int:4</c>.
/// A choice lists values; a range is <c>low..high</c> with options <c>int</c>, <c>log</c> and a number of grid points.
/// </summary>
public sealed class SearchSpace
{
    public SearchSpace(IEnumerable<ParameterSpec> parameters)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new ArgumentException("a search space needs at least one parameter");
        var duplicate = Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"parameter '{duplicate.Key}' appears twice in the search space");
    }

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The assignment's: dropout 0.3 to 0.7, batch size 40 to 150, kernel size 4 and 5 (50 combinations).</summary>
    public static SearchSpace Assignment { get; } = new([
        new Choice("dropout", [0.3, 0.4, 0.5, 0.6, 0.7]),
        new Choice("batch", [40, 80, 100, 120, 150]),
        new Choice("kernel", [4, 5]),
    ]);

    /// <summary>The assignment's base point for the one-factor table: the network's defaults and a middle batch size.</summary>
    public static ParameterSet AssignmentBase { get; } = ParameterSet.Parse("dropout=0.5;batch=100;kernel=5");

    public ParameterSpec this[string name] =>
        Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no parameter '{name}' in the search space ({string.Join(", ", Parameters.Select(p => p.Name))})");

    /// <summary>Every combination of the parameters' grid values, the first parameter varying slowest.</summary>
    public IEnumerable<ParameterSet> Grid()
    {
        IEnumerable<List<KeyValuePair<string, double>>> combos = [[]];
        foreach (var p in Parameters)
        {
            var current = p;
            combos = combos.SelectMany(c => current.GridValues.Select(v => new List<KeyValuePair<string, double>>(c) { new(current.Name, v) }));
        }
        return combos.Select(c => new ParameterSet(c));
    }

    public long GridSize => Parameters.Aggregate(1L, (n, p) => n * p.GridValues.Count);

    public ParameterSet Sample(Random random) =>
        new(Parameters.Select(p => new KeyValuePair<string, double>(p.Name, p.Sample(random))));

    /// <summary>Checks that a point has exactly this space's parameters, each within its range.</summary>
    public void Validate(ParameterSet point)
    {
        foreach (var p in Parameters)
        {
            if (!point.TryGet(p.Name, out double v)) throw new ArgumentException($"the point {point} has no value for '{p.Name}'");
            if (!p.Contains(v)) throw new ArgumentException($"{p.Name}={ParameterSpec.Format(v)} is outside the search space ({p.Spec})");
        }
        foreach (string name in point.Names)
            if (!Parameters.Any(p => p.Name == name)) throw new ArgumentException($"'{name}' is not a parameter of the search space");
    }

    public override string ToString() => string.Join(';', Parameters.Select(p => p.Spec));

    public static SearchSpace Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("the search space is empty");
        var parameters = new List<ParameterSpec>();
        foreach (string raw in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = raw.IndexOf('=');
            if (eq <= 0 || eq == raw.Length - 1)
                throw new ArgumentException($"bad search space entry '{raw}': expected name=v1,v2,... or name=low..high[:int][:log][:points]");
            string name = raw[..eq].Trim();
            if (!name.All(c => char.IsLetterOrDigit(c) || c == '_'))
                throw new ArgumentException($"bad parameter name '{name}': use letters, digits and _");
            string value = raw[(eq + 1)..].Trim();
            parameters.Add(value.Contains("..", StringComparison.Ordinal) ? ParseRange(name, value) : ParseChoice(name, value));
        }
        return new SearchSpace(parameters);
    }

    private static Choice ParseChoice(string name, string text)
    {
        var values = text.Split(',', StringSplitOptions.TrimEntries).Select(v => Number(name, v)).ToList();
        if (values.Distinct().Count() != values.Count) throw new ArgumentException($"{name}: a value is listed twice in '{text}'");
        return new Choice(name, values);
    }

    private static ParameterSpec ParseRange(string name, string text)
    {
        string[] parts = text.Split(':', StringSplitOptions.TrimEntries);
        string[] bounds = parts[0].Split("..", StringSplitOptions.TrimEntries);
        if (bounds.Length != 2) throw new ArgumentException($"{name}: bad range '{parts[0]}' (expected low..high)");
        double low = Number(name, bounds[0]), high = Number(name, bounds[1]);
        bool isInt = false, log = false;
        int points = 5;
        foreach (string option in parts.Skip(1))
        {
            if (option.Equals("int", StringComparison.OrdinalIgnoreCase)) isInt = true;
            else if (option.Equals("log", StringComparison.OrdinalIgnoreCase)) log = true;
            else if (int.TryParse(option, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) points = n;
            else throw new ArgumentException($"{name}: unknown range option '{option}' (use int, log or a number of grid points)");
        }
        if (!(low < high)) throw new ArgumentException($"{name}: the range's low end must be below its high end ({text})");
        if (log && low <= 0) throw new ArgumentException($"{name}: a log range must be positive ({text})");
        if (!isInt) return new FloatRange(name, low, high, log, points);
        if (low != Math.Round(low) || high != Math.Round(high)) throw new ArgumentException($"{name}: an int range needs whole-number ends ({text})");
        return new IntRange(name, (int)low, (int)high, log, points);
    }

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"{name}: '{text}' is not a number");
}
