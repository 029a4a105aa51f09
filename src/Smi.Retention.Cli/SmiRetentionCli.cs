using System.CommandLine;
using Smi.Retention.Cli.Commands;
using Smi.Retention.Text;

namespace Smi.Retention.Cli;

/// <summary>
/// The command line: <c>run</c>, <c>validate</c>, <c>explain</c>, <c>generate</c>, <c>policies</c>,
/// <c>diff</c>, <c>forecast</c>, <c>subset</c>. Exit codes are those of <see cref="ExitCodes"/>.
/// </summary>
internal static class SmiRetentionCli
{
    /// <summary>The command's name (the package's ToolCommandName), in its usage and as its process is named.</summary>
    public const string CommandName = "smi-retention";

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Standard output, for text.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="interactive">Whether a person watches standard error (for the progress bar).</param>
    /// <param name="standardOutput">Standard output as bytes, for an output named <c>-</c>; the process's own when null.</param>
    /// <param name="standardInput">Standard input, for an inventory named <c>-</c>; the process's own when null.</param>
    /// <param name="streams">What the process's standard streams are (unknown in tests).</param>
    /// <param name="started">Given the command's context before it runs: for the process's watchdog, which must say what was written if it ends the command.</param>
    /// <param name="cancellation">Ctrl-C or SIGTERM: the command stops and writes nothing.</param>
    /// <returns>The exit code.</returns>
    public static int Run(
        string[] args, TextWriter output, TextWriter error, bool interactive,
        Func<Stream>? standardOutput = null, Stream? standardInput = null, StandardStreams? streams = null, Action<CliContext>? started = null,
        CancellationToken cancellation = default)
    {
        using var context = new CliContext(output, error, interactive, standardOutput, standardInput, streams, cancellation);
        started?.Invoke(context);
        return context.Guarded(() =>
        {
            var root = Root(context);

            // No response files: '@file' would read any file and echo its lines as arguments.
            var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            var words = AsTheParserReadsThem(args);
            context.JsonCommand = JsonAskedFor(parsed, words);

            // An argument whose bytes are not UTF-8 reaches .NET with U+FFFD in their place: a path
            // so decoded names another file (one whose name holds U+FFFD itself), which an output
            // would replace and an input would be read from. Parsed first only to know whether the
            // refusal is asked for as a JSON document too.
            if (Array.FindIndex(args, a => a.Contains('\uFFFD', StringComparison.Ordinal)) is var lossy and >= 0)
            {
                return context.Fail(Problems.ProblemCodes.CommandLine, CliMessages.ArgumentNotUtf8(lossy + 1, args[lossy]));
            }

            var missing = MissingValues(parsed, words).ToList();
            if (parsed.Errors.Count > 0 || missing.Count > 0)
            {
                // The parser quotes what was typed: shown escaped, so no argument can drive the terminal.
                // An option followed by another's name is refused even when the parser took the name
                // for its value and found nothing wrong ('validate --policy --strict').
                // Where a value is missing, the parser's other complaints follow from the shift it made
                // ('5' unrecognised, '--devices' required), so only the missing values are said.
                // Each its own entry of the JSON document's problems, a word's hint with the complaint
                // that names it; the hint to run --help is the message's alone.
                var hints = missing.Count > 0 ? [] : DidYouMean(parsed, args).ToList();
                var consequences = Consequences(parsed, args, hints);
                var errors = parsed.Errors.Select(p => Untrusted.Show(p.Message, 300)).Distinct(StringComparer.Ordinal).Where(e => !consequences.Contains(e)).ToList();
                var lines = missing.Count > 0 ? missing : [.. errors, .. hints.Select(h => h.Hint)];
                var problems = missing.Count > 0 ? missing : [.. errors.Select(e => string.Join(" ", hints.Where(h => Names(e, h.Token)).Select(h => h.Hint).Prepend(e))),
                    .. hints.Where(h => !errors.Any(e => Names(e, h.Token))).Select(h => h.Hint)];
                return context.Fail(
                    Problems.ProblemCodes.CommandLine,
                    string.Join(Environment.NewLine, lines.Append("Run 'smi-retention --help' for the commands and their options.")),
                    [.. problems.Select(p => new Smi.Retention.Policies.PolicyProblem("", 0, 0, null, p))]);
            }

            // The guarded streams: a closed or full one is remembered, never thrown (help and version write here too).
            return parsed.Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false });
        });
    }

    /// <summary>Every command, with its options: the one list the tables of docs/tool.md are checked against.</summary>
    internal static Command Root(CliContext context)
    {
        // Named here, not after the process's argv[0] as RootCommand is: compiled ahead of time that is
        // what the caller passed (empty, say, which RootCommand refused with an exception).
        var root = new Command(CommandName, "smi-retention: apply SEC Appendix AC 7.2 housekeeping policies to a Smart Metering Inventory.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            RunCommand.Create(context),
            ValidateCommand.Create(context),
            TestCommand.Create(context),
            ExplainCommand.Create(context),
            GenerateCommand.Create(context),
            PoliciesCommand.Create(context),
            DiffCommand.Create(context),
            ForecastCommand.Create(context),
            StockCommand.Create(context),
            SubsetCommand.Create(context),
            ServeCommand.Create(context),
        };

        // No directives (RootCommand's '[suggest] run' printed nothing and exited 0, a command that did nothing).
        return root;
    }

    /// <summary>The command's name when its <c>--format</c> is <c>json</c> (so that even a malformed command line gets a JSON answer); null otherwise.</summary>
    private static string? JsonAskedFor(ParseResult parsed, string[] words)
    {
        // From the words as typed before any '--' (after it they are arguments), in the spellings the
        // parser takes, its value as it reads it: also for a command line that cannot be parsed ('rnu
        // --format json', '--format json' before the command, '--format' given twice), and without
        // asking the parser for a value it may not have ('validate --help --format').
        var command = parsed.CommandResult.Command;
        if (command.Subcommands.Count == 0 && !command.Options.Any(o => o.Name == "--format"))
        {
            return null; // a command without --format ('generate')
        }

        var before = words.TakeWhile(a => a != "--").ToArray();
        var asked = before.Select((a, i) => a == "--format" && i + 1 < before.Length ? before[i + 1]
            : a.StartsWith("--format=", StringComparison.Ordinal) || a.StartsWith("--format:", StringComparison.Ordinal) ? a["--format=".Length..] : null)
            .Any(value => string.Equals(value?.Trim(), "json", StringComparison.OrdinalIgnoreCase));
        return asked ? command.Name : null;
    }

    /// <summary>
    /// The words as the parser reads them where it matters for the checks before it: an option given
    /// with an empty value ('--policy=' or '--policy:') is the bare option, which takes the next word.
    /// </summary>
    private static string[] AsTheParserReadsThem(string[] args)
    {
        var words = (string[])args.Clone();
        for (var i = 0; i < words.Length && words[i] != "--"; i++)
        {
            if (words[i].Length > 2 && words[i][0] == '-' && words[i].IndexOfAny(['=', ':']) == words[i].Length - 1)
            {
                words[i] = words[i][..^1];
            }
        }

        return words;
    }

    /// <summary>
    /// An option that takes a value followed by another option ('--out --rejects r.csv'): the parser
    /// took the second option's name for the first one's value and then said only that 'r.csv' was
    /// not recognised, or nothing at all. Said plainly; a file of such a name is written ./--strict.
    /// </summary>
    private static IEnumerable<string> MissingValues(ParseResult parsed, string[] args)
    {
        var command = parsed.CommandResult.Command;
        var takesValue = command.Options.Where(o => o.Arity.MinimumNumberOfValues > 0)
            .SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);

        // Every command's options ('test --policy --strict' is validate's option, a slip as much), and
        // those every command has (help and version, from the root).
        var root = parsed.RootCommandResult.Command;
        var names = root.Subcommands.SelectMany(c => c.Options).Concat(root.Options).SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < args.Length && args[i] != "--"; i++)
        {
            if (!takesValue.Contains(args[i]))
            {
                continue;
            }

            if (i + 1 == args.Length || args[i + 1] == "--")
            {
                // Last ('--out d.csv --out'): the parser counts the value given to its first use.
                yield return CliMessages.OptionWithoutValue(args[i], i + 1 == args.Length ? null : "--");
            }
            else if (names.Contains(args[i + 1].Split('=', ':')[0])) // '--strict', '--strict=true' or '--strict:true'
            {
                yield return CliMessages.OptionWithoutValue(args[i], args[i + 1]);
            }
        }
    }

    /// <summary>Whether a complaint of the parser (shown escaped) is the one that it does not know <paramref name="token"/> (in its own words; none in another language, where the hint stands alone).</summary>
    private static bool Names(string complaint, string token) => complaint == Unrecognized(token);

    /// <summary>The parser's complaint that it does not know <paramref name="word"/>, shown as its complaints are (escaped, cut): the one home of its words here.</summary>
    private static string Unrecognized(string word) =>
        Untrusted.Show(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Unrecognized command or argument '{word}'."), 300);

    /// <summary>
    /// For each word the parser did not know, with the word: the nearest command (at the top) or
    /// option (of the command given) by spelling ("'rnu': did you mean 'run'?"), or where it belongs.
    /// </summary>
    private static IEnumerable<(string Token, string Hint, string? Suggestion)> DidYouMean(ParseResult parsed, string[] args)
    {
        var command = parsed.CommandResult.Command;
        var options = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-')).Distinct(StringComparer.Ordinal).ToArray();
        var commands = command.Subcommands.Select(c => c.Name).ToArray();
        var everyOption = options.Concat(parsed.RootCommandResult.Command.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name))).ToArray(); // help too (not --version, the root's alone)

        // A word where the command goes that names none ('rnu --policy ...'): the options after it are
        // after the command the user meant, so only the word is said.
        var misspeltCommand = command.Subcommands.Count > 0 && parsed.UnmatchedTokens.Count > 0 && !parsed.UnmatchedTokens[0].StartsWith('-');

        // Words after '--' are arguments, whatever they look like ('validate --policy p -- --strict'):
        // one that looks like an option or names a command is said to be there, misspelt or not.
        var dashes = Array.IndexOf(args, "--");
        var afterDashes = dashes < 0 ? [] : args.Skip(dashes + 1).ToArray();
        var beforeDashes = dashes < 0 ? args : args.Take(dashes).ToArray();

        // Whether an option of that name is given before any '--' ('--policy x' or '--policy=x').
        bool Given(string option) => beforeDashes.Any(a => a.Split('=', ':')[0] == option);
        foreach (var token in parsed.UnmatchedTokens.Distinct(StringComparer.Ordinal))
        {
            // A word only after '--' (one also before it is said as it is there, wrong there too).
            if (afterDashes.Contains(token, StringComparer.Ordinal) && !beforeDashes.Contains(token, StringComparer.Ordinal))
            {
                // An option of the command (or one it may be a misspelling of) or a command's name:
                // any other word after '--' is only an argument too many, as the parser says.
                var name = token.Split('=', ':')[0];
                var option = token.StartsWith('-') && name.Length > 1 && name != "--" && !char.IsAsciiDigit(name[1]);
                var real = everyOption.Contains(name, StringComparer.Ordinal);
                var near = !option || real || options.Length == 0 ? null : Spelling.Suggest(name, options);
                if (option && (real || near is not null))
                {
                    var given = real && Given(name);
                    yield return (token, CliMessages.AfterDoubleDash(token, "an option", given ? null : near, given ? name : null), null);
                }
                else if (!token.StartsWith('-') && commands.Contains(token, StringComparer.Ordinal))
                {
                    yield return (token, CliMessages.AfterDoubleDash(token, "a command"), null);
                }

                continue;
            }

            if (afterDashes.Contains(token, StringComparer.Ordinal) && everyOption.Contains(token.Split('=', ':')[0], StringComparer.Ordinal))
            {
                // Given before '--' and again after it, an option of the command: the second is the one to remove.
                yield return (token, CliMessages.AfterDoubleDash(token, "an option", null, token.Split('=', ':')[0]), null);
                continue;
            }

            if (string.IsNullOrWhiteSpace(token))
            {
                // An empty word ('"$COMMAND" --format json', the variable unset) names nothing: said as such, not as a slip.
                yield return (token, CliMessages.EmptyWord(token, misspeltCommand && parsed.UnmatchedTokens[0] == token ? commands : null), null);
                continue;
            }

            var known = token.StartsWith('-') ? options : commands;
            if (misspeltCommand && token != parsed.UnmatchedTokens[0])
            {
                continue; // what follows a misspelt command is its options and values, not more commands
            }

            // An option's name without its '=value' ('--polcy=x'); help's long name is every command's.
            var slip = token.StartsWith('-') ? token.Split('=', ':')[0] : token;
            var candidates = token.StartsWith('-') ? [.. known, .. everyOption.Where(o => o.StartsWith("--", StringComparison.Ordinal) && !known.Contains(o, StringComparer.Ordinal))] : known;
            var nearest = Nearest(slip, candidates);
            var beforeCommand = token.StartsWith('-') && command.Subcommands.Count == 0 && Array.IndexOf(args, command.Name) is var at && at > Array.IndexOf(args, token);
            if (token.StartsWith('-') && (options.Contains(token, StringComparer.Ordinal) || command.Subcommands.Count > 0 || beforeCommand))
            {
                // An option before the command ('smi-retention --format json run'): it belongs after it
                // (by the name meant, when misspelt too).
                var meant = options.Contains(token, StringComparer.Ordinal) || nearest is not [var only] ? token : only;
                yield return (token, Untrusted.Show(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{token}': options go after the command's name (smi-retention {(command.Subcommands.Count > 0 ? "<command>" : command.Name)} ... {meant} ...)."), 300), null);
                continue;
            }

            if (nearest is [var one] && one != token)
            {
                // The option meant given too ('--polcy x ... --policy x'): the slip is one to remove, not to rename.
                var alsoGiven = token.StartsWith('-') && Given(one);
                yield return (token, Untrusted.Show(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{token}': did you mean '{one}'?{(alsoGiven ? " It is given already: remove one of them." : "")}"), 300), one);
            }
            else if (nearest.Length > 1)
            {
                // A prefix of several ('--max-removal'): each named, none taken for the one meant; those given already said so.
                var given = token.StartsWith('-') ? nearest.Where(Given).ToArray() : [];
                var already = given.Length == 0 ? "" : $" ({Listed([.. given.Select(n => $"'{n}'")])} {(given.Length == 1 ? "is" : "are")} given already.)";
                yield return (token, Untrusted.Show(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{token}': did you mean {string.Join(" or ", nearest.Select(n => $"'{n}'"))}?{already}"), 300), null);
            }
            else if (token.StartsWith('-') && OtherCommandsTaking(parsed, slip, command) is { Length: > 0 } others)
            {
                // Another command's option ('forecast --as-of', used to 'run'): which take it, and where this one's are.
                yield return (token, Untrusted.Show(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{token}': {command.Name} has no such option ({Listed(others)} {(others.Length == 1 ? "takes" : "take")} it); 'smi-retention {command.Name} --help' lists its options."), 300), null);
            }
        }
    }

    /// <summary>The other commands that have an option of that name, in the order help lists them.</summary>
    private static string[] OtherCommandsTaking(ParseResult parsed, string option, Command command) =>
        [.. parsed.RootCommandResult.Command.Subcommands.Where(c => c != command && c.Options.Any(o => o.Name == option || o.Aliases.Contains(option))).Select(c => c.Name)];

    /// <summary>Names as a sentence lists them: 'a', 'a and b', 'a, b and c'.</summary>
    private static string Listed(string[] names) =>
        names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1];

    /// <summary>
    /// The names a word may be a slip for: those it starts (at least two letters past its dashes:
    /// '--device' for '--device-id', '--bou' for '--boundary', all of them when it starts several),
    /// else the nearest by spelling; none when nothing is near.
    /// </summary>
    private static string[] Nearest(string word, string[] known)
    {
        if (word.TrimStart('-').Length >= 2 && known.Where(k => k.StartsWith(word, StringComparison.Ordinal) && k != word).Distinct(StringComparer.Ordinal).Take(3).ToArray() is { Length: > 0 } started)
        {
            return started;
        }

        return known.Length > 0 && Spelling.Suggest(word, known) is { } near ? [near] : [];
    }

    /// <summary>
    /// The parser's complaints that follow from a misspelt option it was told the nearest name of:
    /// its value unrecognised ('secmp0060' after '--polcy') and the option meant said to be missing
    /// ('--policy' is required). Said, they bury the one thing to fix. In the parser's own words; in
    /// another language none matches, and all are said.
    /// </summary>
    private static HashSet<string> Consequences(ParseResult parsed, string[] args, IEnumerable<(string Token, string Hint, string? Suggestion)> hints)
    {
        var consequences = new HashSet<string>(StringComparer.Ordinal);
        var taken = new HashSet<int>(); // where a misspelt option's value is
        var options = parsed.CommandResult.Command.Options;
        foreach (var (token, _, suggestion) in hints)
        {
            if (suggestion is null || !token.StartsWith('-') || options.FirstOrDefault(o => o.Name == suggestion || o.Aliases.Contains(suggestion)) is not { } meant)
            {
                continue;
            }

            consequences.Add(Untrusted.Show(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Option '{meant.Name}' is required."), 300));
            if (meant.Arity.MinimumNumberOfValues > 0 && token.IndexOfAny(['=', ':']) < 0)
            {
                for (var at = 0; at + 1 < args.Length && args[at] != "--"; at++)
                {
                    var value = args[at + 1];
                    if (args[at] == token && (!value.StartsWith('-') || value == "-" || (value.Length > 1 && char.IsAsciiDigit(value[1]))))
                    {
                        taken.Add(at + 1);
                    }
                }
            }
        }

        // A value is a consequence only where every use of the word is such a value (a stray copy elsewhere is said).
        foreach (var at in taken)
        {
            if (Enumerable.Range(0, args.Length).Where(i => args[i] == args[at]).All(taken.Contains))
            {
                consequences.Add(Unrecognized(args[at]));
            }
        }

        return consequences;
    }
}
