using System.CommandLine;
using Cnn.Functional.Dsl;

namespace Cnn.Functional.Cli;

/// <summary><c>cnnf summary MODEL</c>: the model summary table (shapes, parameters, MACs, memory, receptive fields).</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = ModelSource.Help, Arity = ArgumentArity.ZeroOrOne };
        var json = CliOutput.JsonOption();
        var list = new Option<bool>("--list") { Description = "List the zoo's models." };
        var batch = new Option<int>("--batch-size") { Description = "Examples per batch, for the memory figures.", DefaultValueFactory = _ => 1 };
        var moments = new Option<int>("--optimizer-moments")
        {
            Description = "Copies of each parameter the optimiser keeps: 0 for SGD, 1 for momentum, 2 for Adam.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("summary", "Print a model's summary: per node the output shape, parameters, MACs, memory and receptive field; totals.")
        {
            model, json, list, batch, moments,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(list))
            {
                var width = ModelZoo.Names.Max(n => n.Length);
                foreach (var (name, description) in ModelZoo.Descriptions) output.WriteLine($"{name.PadRight(width)}  {description}");
                return 0;
            }
            try
            {
                var name = parse.GetValue(model) ?? throw new GraphException(new GraphError("MODEL", "model",
                    $"name a model: one of {string.Join(", ", ModelZoo.Names)}, or a graph JSON file"));
                var options = new SummaryOptions(parse.GetValue(batch), 4, parse.GetValue(moments));
                var summary = ModelSource.Load(name).Summarize(options);
                output.Write(asJson ? summary.ToJson() + "\n" : summary.ToTable());
                return 0;
            }
            catch (GraphException e)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }
}
