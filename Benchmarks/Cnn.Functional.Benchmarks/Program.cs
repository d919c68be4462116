using Cnn.Functional.Benchmarks;

// Benchmark programs: `dotnet run -c Release --project Benchmarks/Cnn.Functional.Benchmarks -- summary`.
var which = args.Length > 0 ? args[0] : "summary";
switch (which)
{
    case "summary":
        SummaryBenchmark.Run(Console.Out);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'; known: summary");
        return 2;
}
