using System.Globalization;

namespace MLPipelines.Sweeps.Space;

/// <summary>
/// One dimension of a search space. Values are numbers (the digit network's hyper-parameters all are).
/// <see cref="GridValues"/> is what a grid or one-factor tuner walks; <see cref="Sample"/> is what a random one draws.
/// </summary>
public abstract record ParameterSpec(string Name)
{
    public abstract IReadOnlyList<double> GridValues { get; }
    public abstract double Sample(Random random);
    public abstract bool Contains(double value);

    /// <summary>The text form that <see cref="SearchSpace.Parse"/> reads back.</summary>
    public abstract string Spec { get; }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A fixed list of values, e.g. <c>batch=40,80,100,120,150</c>.</summary>
public sealed record Choice(string Name, IReadOnlyList<double> Values) : ParameterSpec(Name)
{
    public override IReadOnlyList<double> GridValues => Values;
    public override double Sample(Random random) => Values[random.Next(Values.Count)];
    public override bool Contains(double value) => Values.Contains(value);
    public override string Spec => $"{Name}={string.Join(',', Values.Select(Format))}";
}

/// <summary>
/// An interval [Low, High] of real numbers, uniform or log-uniform; a grid takes <see cref="GridPoints"/> evenly
/// spaced points (on the log scale when <see cref="Log"/>). Spec: <c>lr=0.001..0.1:log:5</c>.
/// </summary>
public sealed record FloatRange(string Name, double Low, double High, bool Log = false, int GridPoints = 5) : ParameterSpec(Name)
{
    public override IReadOnlyList<double> GridValues =>
        GridPoints == 1 ? [Low] : Enumerable.Range(0, GridPoints).Select(i => At((double)i / (GridPoints - 1))).ToList();

    public override double Sample(Random random) => At(random.NextDouble());
    public override bool Contains(double value) => value >= Low && value <= High;
    public override string Spec => $"{Name}={Format(Low)}..{Format(High)}{(Log ? ":log" : "")}:{GridPoints}";

    /// <summary>The point a fraction t of the way from Low to High (on the log scale when Log).</summary>
    public double At(double t) => Log
        ? Math.Exp(Math.Log(Low) + t * (Math.Log(High) - Math.Log(Low)))
        : Low + t * (High - Low);
}

/// <summary>Integers in [Low, High], uniform or log-uniform. Spec: <c>batch=16..256:int:log:5</c>.</summary>
public sealed record IntRange(string Name, int Low, int High, bool Log = false, int GridPoints = 5) : ParameterSpec(Name)
{
    public override IReadOnlyList<double> GridValues
    {
        get
        {
            var real = new FloatRange(Name, Low, High, Log, GridPoints);
            return real.GridValues.Select(v => Math.Round(v)).Distinct().ToList();
        }
    }

    public override double Sample(Random random)
    {
        if (!Log) return random.Next(Low, High + 1);
        // Log-uniform over [Low - 0.5, High + 0.5) so the end points get their share.
        var real = new FloatRange(Name, Low - 0.5, High + 0.5, Log: true);
        return Math.Clamp(Math.Round(real.At(random.NextDouble())), Low, High);
    }

    public override bool Contains(double value) => value >= Low && value <= High && value == Math.Round(value);
    public override string Spec => $"{Name}={Low}..{High}:int{(Log ? ":log" : "")}:{GridPoints}";
}
