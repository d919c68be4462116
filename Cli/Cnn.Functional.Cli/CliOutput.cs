using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Cnn.Functional.Cli;

/// <summary>How commands report failures: one line on stderr for people, a JSON object on stdout for machines.</summary>
internal static class CliOutput
{
    public static Option<bool> JsonOption() => new("--json") { Description = "Write machine-readable JSON to stdout instead of text." };

    /// <summary>Reports <paramref name="exception"/> and returns the input-error exit code.</summary>
    public static int Fail(ParseResult parse, bool json, GraphException exception)
    {
        var config = parse.InvocationConfiguration;
        if (json)
        {
            config.Output.WriteLine(ErrorJson(exception));
        }
        else
        {
            var errors = exception.Errors;
            config.Error.WriteLine($"cnnf: error: {(errors.Count == 1 ? errors[0].ToString() : exception.Message)}");
        }
        return CnnfApp.InputError;
    }

    private static string ErrorJson(GraphException exception)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", exception.Message);
            w.WriteStartArray("errors");
            foreach (var e in exception.Errors)
            {
                w.WriteStartObject();
                w.WriteString("path", e.Path);
                w.WriteString("kind", e.LayerKind);
                w.WriteString("message", e.Message);
                if (e.Hint is not null) w.WriteString("hint", e.Hint);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
