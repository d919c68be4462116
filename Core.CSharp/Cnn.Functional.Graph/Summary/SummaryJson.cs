using System.Text;
using System.Text.Json;

namespace Cnn.Functional;

/// <summary>
/// Writes a <see cref="ModelSummary"/> as JSON for machines (<c>cnnf summary --json</c>):
/// <c>{"model", "inputs", "options", "nodes": [{"path", "kind", "inputs", "outputShape", "parameters", …}], "totals": {…}}</c>.
/// Property names are camelCase; sizes are arrays of numbers; the output is deterministic.
/// </summary>
internal static class SummaryJson
{
    public static string Write(ModelSummary s, bool indented)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("model", s.Model);
            w.WriteStartArray("inputs");
            foreach (var input in s.Inputs) Ints(w, null, input.Dims);
            w.WriteEndArray();
            w.WriteStartObject("options");
            w.WriteNumber("batchSize", s.Options.BatchSize);
            w.WriteNumber("bytesPerValue", s.Options.BytesPerValue);
            w.WriteNumber("optimizerMoments", s.Options.OptimizerMoments);
            w.WriteEndObject();

            w.WriteStartArray("nodes");
            foreach (var n in s.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("path", n.Path);
                w.WriteString("kind", n.Kind);
                w.WriteStartArray("inputs");
                foreach (var input in n.Inputs) w.WriteStringValue(input);
                w.WriteEndArray();
                Ints(w, "outputShape", n.OutputShape.Dims);
                w.WriteNumber("parameters", n.Parameters);
                w.WriteNumber("trainableParameters", n.TrainableParameters);
                w.WriteNumber("frozenParameters", n.FrozenParameters);
                w.WriteNumber("buffers", n.Buffers);
                w.WriteNumber("macs", n.Macs);
                w.WriteNumber("activationBytes", n.ActivationBytes);
                w.WriteNumber("inferenceBytes", n.InferenceBytes);
                w.WriteNumber("trainingBytes", n.TrainingBytes);
                Doubles(w, "receptiveField", n.ReceptiveField.Size);
                Doubles(w, "jump", n.ReceptiveField.Jump);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            var t = s.Totals;
            w.WriteStartObject("totals");
            w.WriteNumber("nodes", s.Nodes.Count);
            w.WriteNumber("parameters", t.Parameters);
            w.WriteNumber("trainableParameters", t.TrainableParameters);
            w.WriteNumber("frozenParameters", t.FrozenParameters);
            w.WriteNumber("buffers", t.Buffers);
            w.WriteNumber("macs", t.Macs);
            w.WriteNumber("parameterBytes", t.ParameterBytes);
            w.WriteNumber("activationBytes", t.ActivationBytes);
            w.WriteNumber("inferencePeakActivationBytes", t.InferencePeakActivationBytes);
            w.WriteNumber("inferenceBytes", t.InferenceBytes);
            w.WriteNumber("trainingBytes", t.TrainingBytes);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Ints(Utf8JsonWriter w, string? name, EquatableArray<int> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Doubles(Utf8JsonWriter w, string name, EquatableArray<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
