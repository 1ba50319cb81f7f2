using System.Text.RegularExpressions;

namespace MLPipelines.Cli.Cli;

/// <summary>
/// System.CommandLine names .NET types in its parse errors ("as expected type 'System.Nullable`1[System.Double]'"):
/// this says what the user should type instead ("it must be a number").
/// </summary>
public static partial class ParseErrors
{
    public static string Friendly(string message) =>
        ExpectedType().Replace(message, m => $"it must be {Describe(m.Groups["type"].Value)}");

    private static string Describe(string type)
    {
        string inner = NullableOf().Match(type) is { Success: true } n ? n.Groups["inner"].Value : type;
        return inner switch
        {
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" or "System.Byte" => "a whole number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a time span",
            _ => "a " + inner[(inner.LastIndexOf('.') + 1)..].ToLowerInvariant(),
        };
    }

    [GeneratedRegex(@"as expected type '(?<type>[^']+)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();
}
