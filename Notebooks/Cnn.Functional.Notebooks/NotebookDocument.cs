using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cnn.Functional.Notebooks;

/// <summary>One cell of a notebook: its kind (code or markdown), its source, its tags and, for code, its outputs.</summary>
public sealed record NotebookCell(string Kind, string Source, IReadOnlyList<string> Tags, IReadOnlyList<CellOutput> Outputs)
{
    public bool IsCode => Kind == "code";

    /// <summary>Tagged <c>notebook-only</c>: runs in a notebook, left out of the twin (it prepares the kit for #r).</summary>
    public bool NotebookOnly => Tags.Contains("notebook-only");
}

/// <summary>
/// A Jupyter notebook (nbformat 4) read and written with System.Text.Json. The file is the source of truth: cells keep
/// their metadata, the notebook keeps its own, and only outputs and execution counts change on <see cref="Write"/>.
/// Written by hand rather than through .NET Interactive's Documents package because outputs need nbformat's exact
/// shapes: a JSON mime type (the Plotly figure) must be stored as a JSON object, not as a string.
/// </summary>
public sealed class NotebookDocument
{
    private readonly JsonObject root;

    private NotebookDocument(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        this.root = root;
        Cells = cells;
    }

    public string Path { get; }

    /// <summary>The file name without its extension, e.g. <c>01-convolution</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <exception cref="InvalidDataException">The file is not an nbformat 4 notebook; the message names it.</exception>
    public static NotebookDocument Read(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("the top level is not an object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON: {e.Message}", e);
        }
        if (root["nbformat"]?.GetValue<int>() != 4) throw new InvalidDataException($"{path}: not an nbformat 4 notebook");
        var cells = (root["cells"] as JsonArray ?? throw new InvalidDataException($"{path}: no 'cells' array"))
            .Select((cell, i) => ReadCell(cell as JsonObject ?? throw new InvalidDataException($"{path}: cell {i + 1} is not an object")))
            .ToList();
        return new NotebookDocument(path, root, cells);
    }

    /// <summary>This notebook with <paramref name="outputs"/> (one list per cell; markdown cells get none).</summary>
    public NotebookDocument WithOutputs(IReadOnlyList<IReadOnlyList<CellOutput>> outputs)
    {
        if (outputs.Count != Cells.Count) throw new ArgumentException($"{Cells.Count} cells but {outputs.Count} output lists", nameof(outputs));
        var copy = (JsonObject)root.DeepClone();
        var cellNodes = (JsonArray)copy["cells"]!;
        var count = 0;
        for (var i = 0; i < Cells.Count; i++)
        {
            if (!Cells[i].IsCode) continue;
            var cell = (JsonObject)cellNodes[i]!;
            count++;
            cell["execution_count"] = count;
            cell["outputs"] = new JsonArray(outputs[i].Select(o => o.ToJson(count)).ToArray<JsonNode?>());
        }
        return new NotebookDocument(Path, copy, Cells.Select((c, i) => c with { Outputs = outputs[i] }).ToList());
    }

    /// <summary>
    /// Writes the notebook as Jupyter does (indented by one space, a final newline, UTF-8 without a BOM), except that
    /// JSON outputs (Plotly figures) stay on one line: indented, a 28 × 28 heatmap alone would take 800 lines.
    /// </summary>
    public void Write(string? path = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteNode(writer, root, compact: false);
        buffer.WriteByte((byte)'\n');
        File.WriteAllBytes(path ?? Path, buffer.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node, bool compact)
    {
        switch (node)
        {
            case JsonObject obj when !compact:
                writer.WriteStartObject();
                foreach (var (key, value) in obj)
                {
                    writer.WritePropertyName(key);
                    WriteNode(writer, value, compact: CellOutput.IsJson(key) && value is JsonObject or JsonArray);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array when !compact:
                writer.WriteStartArray();
                foreach (var item in array) WriteNode(writer, item, compact: false);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                if (compact) writer.WriteRawValue(node.ToJsonString(Compact));
                else node.WriteTo(writer);
                break;
        }
    }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static NotebookCell ReadCell(JsonObject cell)
    {
        var kind = cell["cell_type"]?.GetValue<string>() ?? "raw";
        var tags = (cell["metadata"]?["tags"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToList() ?? [];
        var outputs = (cell["outputs"] as JsonArray)?.Select(o => CellOutput.FromJson((JsonObject)o!)).ToList() ?? [];
        return new NotebookCell(kind, MultilineText(cell["source"]), tags, outputs);
    }

    // nbformat stores text either as one string or as a list of lines that keep their newlines.
    internal static string MultilineText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };

    internal static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
