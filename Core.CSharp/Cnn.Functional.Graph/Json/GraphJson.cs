using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cnn.Functional;

/// <summary>
/// Graphs to and from JSON. Writing is deterministic: the same graph always gives the same bytes (fixed
/// property order, "\n" line ends, shortest round-trip numbers). Reading is strict: an unknown layer kind,
/// an unknown or missing property, or a wrong type is a <see cref="GraphException"/> that says where.
/// </summary>
/// <example>
/// <code>{"format": "cnn-functional-graph", "version": 1, "name": "lenet5",
///  "nodes": [{"path": "input", "layer": {"kind": "input", "shape": [1, 28, 28]}, "inputs": [], "trainable": true}, …],
///  "outputs": []}</code>
/// </example>
public static class GraphJson
{
    public const string Format = "cnn-functional-graph";
    public const int Version = 1;

    /// <summary>The most bytes <see cref="Read"/> accepts (a zoo graph is a few hundred KiB).</summary>
    public const int MaxBytes = 64 << 20;

    // Plain arrays, not EquatableArray, so that System.Text.Json tracks the full path of a bad value ($.nodes[7].layer).
    private sealed record GraphFile(string Format, int Version, string Name, NodeFile[] Nodes, string[] Outputs);

    private sealed record NodeFile(string Path, Layer Layer, string[] Inputs, bool Trainable);

    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NewLine = "\n",
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowOutOfOrderMetadataProperties = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { HideComputedLayerProperties } },
        };
        options.Converters.Add(new EquatableArrayConverterFactory());
        options.Converters.Add(new SizeConverter());
        options.Converters.Add(new ShapeConverter());
        options.Converters.Add(new PaddingConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    // A layer's kind is written as the type discriminator; its arity is implied by its type.
    private static void HideComputedLayerProperties(JsonTypeInfo info)
    {
        if (!typeof(Layer).IsAssignableFrom(info.Type) || info.Kind != JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Name is "kind" or "arity")
                info.Properties.RemoveAt(i);
    }

    /// <summary>The graph as JSON text.</summary>
    /// <exception cref="GraphException">A value cannot be written as JSON (a NaN or infinite number, an undefined enum value); the error names the node.</exception>
    public static string Write(Graph graph)
    {
        var missing = graph.Nodes.Select((n, i) => n is null ? i : -1).Where(i => i >= 0).ToList();
        if (missing.Count > 0)
            throw new GraphException(missing.Select(i => new GraphError(graph.Name ?? "(graph)", "graph", $"node {i} is null and cannot be written")).ToList());
        try
        {
            return JsonSerializer.Serialize(new GraphFile(Format, Version, graph.Name,
                graph.Nodes.Select(n => new NodeFile(n.Path, n.Layer, n.Inputs.Items.ToArray(), n.Trainable)).ToArray(),
                graph.Outputs.Items.ToArray()), Options) + "\n";
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw new GraphException(WriteErrors(graph, e));
        }
    }

    // Finds the nodes whose layers cannot be written, to name them; falls back to the serializer's message.
    private static List<GraphError> WriteErrors(Graph graph, Exception failure)
    {
        var errors = new List<GraphError>();
        foreach (var node in graph.Nodes)
        {
            if (node?.Layer is null) continue;
            try
            {
                JsonSerializer.Serialize(node.Layer, Options);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException or InvalidOperationException)
            {
                errors.Add(new GraphError(node.Path ?? "(null)", node.Layer.Kind, $"cannot be written as JSON: {Explain(e.Message)}",
                    "JSON holds only finite numbers and defined enum values"));
            }
        }
        if (errors.Count == 0) errors.Add(new GraphError("(json)", "json", $"the graph cannot be written as JSON: {Explain(failure.Message)}"));
        return errors;
    }

    /// <summary>Reads a graph written by <see cref="Write"/>. The graph's structure and shapes are not checked here; call <see cref="Graph.Infer"/>.</summary>
    /// <exception cref="GraphException">The text is not a valid graph document; the message says where and why.</exception>
    public static Graph Read(string json)
    {
        if (json is null) throw Error("the JSON text is null");
        if (Encoding.UTF8.GetByteCount(json) > MaxBytes) throw Error($"the JSON text is larger than {MaxBytes >> 20} MiB");
        GraphFile? file;
        try
        {
            file = JsonSerializer.Deserialize<GraphFile>(json, Options);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}" + (e.LineNumber is { } line ? $" (line {line + 1})" : "");
            throw Error($"not a valid graph document{where}: {Explain(e.Message)}");
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw Error($"not a valid graph document: {e.Message}");
        }
        if (file is null) throw Error("the JSON document is null");
        if (file.Format != Format) throw Error($"expected \"format\": \"{Format}\", got \"{file.Format}\"");
        if (file.Version < 1 || file.Version > Version) throw Error($"graph format version {file.Version} is not supported (this library reads versions 1 to {Version})");
        // Array elements escape the nullable annotations: a null node or input is reported, not dereferenced.
        var nullNode = Array.FindIndex(file.Nodes, n => n is null);
        if (nullNode >= 0) throw Error($"not a valid graph document at $.nodes[{nullNode}]: a node is null");
        var nullOutput = Array.FindIndex(file.Outputs, o => o is null);
        if (nullOutput >= 0) throw Error($"not a valid graph document at $.outputs[{nullOutput}]: an output is null");
        return new Graph(file.Name,
            file.Nodes.Select(n => new Node(n.Path, n.Layer, n.Inputs.ToEquatableArray(), n.Trainable)).ToEquatableArray(),
            file.Outputs.ToEquatableArray());
    }

    /// <summary>Reads a graph from a file.</summary>
    /// <exception cref="GraphException">The file is missing, unreadable or not a graph document.</exception>
    public static Graph ReadFile(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw Error($"no graph file at '{path}'");
            if (info.Length > MaxBytes) throw Error($"'{path}' is larger than {MaxBytes >> 20} MiB: not a graph document");
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Error($"cannot read '{path}': {e.Message}");
        }
        try
        {
            return Read(text);
        }
        catch (GraphException e)
        {
            throw new GraphException(new GraphError(path, "json", e.Errors[0].Message));
        }
    }

    private static GraphException Error(string message) => new(new GraphError("(json)", "json", message));

    /// <summary>The layer kinds a graph document may name.</summary>
    public static IReadOnlyList<string> LayerKinds { get; } = typeof(Layer)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false)
        .Cast<JsonDerivedTypeAttribute>()
        .Select(a => (string)a.TypeDiscriminator!)
        .ToList();

    // System.Text.Json appends its own "Path: … | LineNumber: …", which we already report, and words an
    // unknown kind in its own terms.
    private static string Explain(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut].TrimEnd();
        const string unknown = "Read unrecognized type discriminator id '";
        if (message.StartsWith(unknown, StringComparison.Ordinal))
        {
            var kind = message[unknown.Length..].TrimEnd('.', '\'');
            return $"unknown layer kind '{kind}'; known kinds: {string.Join(", ", LayerKinds)}";
        }
        return message;
    }
}
