using System.Globalization;

namespace Cnn.Functional.Torch;

/// <summary>
/// The string form of schemes and plans, for a command-line flag. A scheme is a name and optional arguments,
/// <c>name(key=value, …)</c>; a plan is entries separated by ';', one scheme alone (the default) and the others
/// <c>prefix=scheme</c>. Names and keys are case-insensitive; every error says what was expected.
/// </summary>
internal static class InitializerSyntax
{
    private static readonly string ValidNames = string.Join(", ", Initializers.Names);

    public static InitializationPlan Plan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Initializer? defaultScheme = null;
        var plan = InitializationPlan.Standard;
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in text.Split(';'))
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            var equals = entry.IndexOf('=');
            var parenthesis = entry.IndexOf('(');
            if (equals < 0 || (parenthesis >= 0 && parenthesis < equals))
            {
                if (defaultScheme is not null)
                    throw Error($"the plan '{text}' has two default schemes, '{defaultScheme}' and '{entry}'; give one, and the others as prefix=scheme");
                defaultScheme = Scheme(entry);
                continue;
            }
            var prefix = entry[..equals].Trim();
            if (prefix.Length == 0 || prefix.Any(char.IsWhiteSpace))
                throw Error($"'{entry}' in the plan '{text}' needs a node path prefix before '=', such as features/conv1=dirac");
            if (!prefixes.Add(prefix))
                throw Error($"the plan '{text}' gives the prefix '{prefix}' twice");
            plan = plan.With(prefix, Scheme(entry[(equals + 1)..]));
        }
        if (defaultScheme is null && prefixes.Count == 0)
            throw Error($"the plan '{text}' is empty; give a scheme such as he-normal (valid schemes: {ValidNames})");
        return plan.WithDefault(defaultScheme ?? new Standard());
    }

    public static Initializer Scheme(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var open = trimmed.IndexOf('(');
        var name = (open < 0 ? trimmed : trimmed[..open]).Trim().ToLowerInvariant();
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (open >= 0)
        {
            if (!trimmed.EndsWith(')'))
                throw Error($"'{trimmed}' opens '(' without closing it; write arguments as {name}(key=value, …)");
            foreach (var part in trimmed[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=');
                if (equals <= 0) throw Error($"the argument '{part}' of '{trimmed}' is not key=value");
                var key = part[..equals].Trim().ToLowerInvariant();
                if (!arguments.TryAdd(key, part[(equals + 1)..].Trim()))
                    throw Error($"'{trimmed}' gives the argument '{key}' twice");
            }
        }
        var reader = new Arguments(trimmed, name, arguments);
        Initializer scheme = name switch
        {
            "standard" => new Standard(),
            "xavier-uniform" => new XavierUniform(reader.Number("gain", 1.0)),
            "xavier-normal" => new XavierNormal(reader.Number("gain", 1.0)),
            "he-normal" => new HeNormal(reader.Mode(), reader.Number("slope", 0.0)),
            "he-uniform" => new HeUniform(reader.Mode(), reader.Number("slope", 0.0)),
            "delta-orthogonal" => new DeltaOrthogonal(reader.Number("gain", 1.0)),
            "dirac" => new Dirac(),
            "conv-kmeans" => new ConvKMeans(reader.Integer("patches", 10000), reader.Integer("iterations", 10), reader.Boolean("whiten", false),
                reader.Number("epsilon", 0.1), reader.Number("whitening-epsilon", 0.1), reader.Number("gain", 1.0)),
            _ => throw Error(name.Length == 0
                ? $"a scheme name is missing in '{text}'; valid schemes: {ValidNames}"
                : $"unknown initialisation scheme '{name}'; valid schemes: {ValidNames}"),
        };
        reader.RejectUnused();
        var problems = scheme.Problems().ToList();
        if (problems.Count > 0) throw Error($"'{trimmed}': {string.Join("; ", problems)}");
        return scheme;
    }

    private static ArgumentException Error(string message) => new(message);

    /// <summary>The arguments of one scheme, read by key; a key no scheme reads is an error listing those it takes.</summary>
    private sealed class Arguments(string text, string name, Dictionary<string, string> values)
    {
        private readonly List<string> known = [];

        public double Number(string key, double fallback) =>
            Read(key, fallback, v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null, "a number");

        public int Integer(string key, int fallback) =>
            Read(key, fallback, v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : (int?)null, "a whole number");

        public bool Boolean(string key, bool fallback) =>
            Read(key, fallback, v => v.ToLowerInvariant() switch { "true" => true, "false" => (bool?)false, _ => null }, "true or false");

        public FanMode Mode() =>
            Read("mode", FanMode.FanIn, v => v.ToLowerInvariant() switch { "fan-in" => FanMode.FanIn, "fan-out" => (FanMode?)FanMode.FanOut, _ => null }, "fan-in or fan-out");

        public void RejectUnused()
        {
            var unknown = values.Keys.FirstOrDefault(k => !known.Contains(k));
            if (unknown is null) return;
            throw Error(known.Count == 0
                ? $"'{text}': {name} takes no arguments; got '{unknown}'"
                : $"'{text}': {name} takes {string.Join(", ", known)}; got '{unknown}'");
        }

        private T Read<T>(string key, T fallback, Func<string, T?> parse, string expected) where T : struct
        {
            known.Add(key);
            if (!values.TryGetValue(key, out var value)) return fallback;
            return parse(value) ?? throw Error($"'{text}': {key}={value} is not {expected}");
        }
    }
}
