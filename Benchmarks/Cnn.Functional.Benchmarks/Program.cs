using Cnn.Functional.Benchmarks;

// Benchmark programs: `dotnet run -c Release --project Benchmarks/Cnn.Functional.Benchmarks -- summary`
// (or `-- data-load [library|managed]` and `-- train-memory [library|hand] [epochs] [limit]`, one variant per process: peak
// resident memory only grows; `-- train-throughput [all|lenet5|vgg_small] [rounds] [steps|rounds] [threads]`,
// `-- train-profile [models] [calls] [threads]`, `-- inference [all|vgg_small|lenet5|default-allocator] [rounds] [quick]`;
// `-- mlnet-scoring [batch] [rounds]`: ML.NET batch scoring against the raw module's forward pass;
// `-- peers [all|lenet5,vgg_small,resnet18] [rounds]`: the library against hand-written TorchSharp and TorchVision, training and
// inference, with the machine's matmul peak; `-- matmul`: that peak alone). Graph fuzzing is `cnnf fuzz`.
var which = args.Length > 0 ? args[0] : "summary";
switch (which)
{
    case "summary":
        SummaryBenchmark.Run(Console.Out);
        return 0;
    case "data-load":
        return DataLoadBenchmark.Run(Console.Out, args.Length > 1 ? args[1] : "library");
    case "inference":
        return InferenceBenchmark.Run(Console.Out, args[1..]);
    case "train-memory":
        return TrainMemoryBenchmark.Run(Console.Out, args[1..]);
    case "train-profile":
        return TrainProfileBenchmark.Run(Console.Out, args[1..]);
    case "train-throughput":
        return TrainThroughputBenchmark.Run(Console.Out, args[1..]);
    case "mlnet-scoring":
        return MLNetScoringBenchmark.Run(Console.Out,
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 256,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 9);
    case "peers":
        return PeersBenchmark.Run(Console.Out, args[1..]);
    case "matmul":
        Console.WriteLine($"Matmul peak — {Machine.Describe()}, torch threads {TorchSharp.torch.get_num_threads()}");
        MatmulPeak.Measure(Console.Out, "now");
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'; known: summary, data-load, train-throughput, train-profile, inference, train-memory, mlnet-scoring, peers, matmul (graph fuzzing is cnnf fuzz)");
        return 2;
}
