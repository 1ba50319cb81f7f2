using System.Globalization;
using System.Text.Json;

namespace MLPipelines.Sweeps.Space;

/// <summary>
/// A point of a search space: named numbers in the space's order. <see cref="Key"/> names the point
/// independently of order and is what storage uses to keep one trial per point.
/// </summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    private readonly List<KeyValuePair<string, double>> values;

    public ParameterSet(IEnumerable<KeyValuePair<string, double>> values)
    {
        this.values = values.ToList();
        if (this.values.Select(v => v.Key).Distinct().Count() != this.values.Count)
            throw new ArgumentException("a parameter appears twice in a point");
    }

    public IEnumerable<string> Names => values.Select(v => v.Key);
    public IReadOnlyList<KeyValuePair<string, double>> Values => values;

    public double this[string name] => TryGet(name, out double v) ? v : throw new KeyNotFoundException($"no parameter '{name}' in {this}");

    public bool TryGet(string name, out double value)
    {
        foreach (var (k, v) in values)
            if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        value = double.NaN;
        return false;
    }

    public ParameterSet With(string name, double value) =>
        new(values.Select(v => v.Key == name ? new KeyValuePair<string, double>(name, value) : v));

    public string Key => string.Join(';', values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={ParameterSpec.Format(v.Value)}"));

    public override string ToString() => string.Join(' ', values.Select(v => $"{v.Key}={ParameterSpec.Format(v.Value)}"));

    public string ToJson() => JsonSerializer.Serialize(values.ToDictionary(v => v.Key, v => v.Value));

    public static ParameterSet FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return new ParameterSet(doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, p.Value.GetDouble())));
    }

    /// <summary>Reads <c>dropout=0.5;batch=100</c> (also with spaces or commas between entries).</summary>
    public static ParameterSet Parse(string text)
    {
        var list = new List<KeyValuePair<string, double>>();
        foreach (string entry in text.Split([';', ' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = entry.IndexOf('=');
            if (eq <= 0 || !double.TryParse(entry[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new ArgumentException($"bad parameter '{entry}' in '{text}': expected name=number");
            list.Add(new(entry[..eq], v));
        }
        if (list.Count == 0) throw new ArgumentException($"no parameters in '{text}'");
        return new ParameterSet(list);
    }

    public bool Equals(ParameterSet? other) => other is not null && other.Key == Key;
    public override bool Equals(object? obj) => Equals(obj as ParameterSet);
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
