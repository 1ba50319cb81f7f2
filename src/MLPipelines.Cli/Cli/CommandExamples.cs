using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MLPipelines.Cli.Cli;

/// <summary>Adds an "Examples:" section to the help of the commands that have some.</summary>
public static class CommandExamples
{
    private static readonly Dictionary<Command, string[]> Examples = new();

    public static T WithExamples<T>(this T command, params string[] examples) where T : Command
    {
        Examples[command] = examples;
        return command;
    }

    /// <summary>Wraps the root's help option so every command's help ends with its examples.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options)
            if (option is HelpOption help && help.Action is HelpAction standard)
                help.Action = new ExamplesHelpAction(standard);
    }

    private sealed class ExamplesHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        // Like the standard help: `mlp cmd --help` works without cmd's required arguments.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = standard.Invoke(parseResult);
            if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples) output.WriteLine("  " + example);
                output.WriteLine();
            }
            return code;
        }
    }
}
