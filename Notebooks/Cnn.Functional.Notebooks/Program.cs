using System.Diagnostics;
using System.Globalization;
using Cnn.Functional.Notebooks;

// The notebook tool. Run from anywhere inside the repository:
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- run [--write] [--no-build] [NAME…]
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins [--check]
const string Usage = """
    usage: run [--write] [--no-build] [NAME…]   execute the notebooks (all, or those whose name starts with a NAME);
                                                --write stores the outputs in the .ipynb files
           twins [--check]                      generate Notebooks/NN-topic.cs from each notebook;
                                                --check only compares and fails when one differs
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
var root = Repository.Root();
var options = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
var names = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var paths = Repository.Notebooks(root).Where(p => names.Count == 0 || names.Any(n => Path.GetFileName(p).StartsWith(n, StringComparison.Ordinal))).ToList();
if (paths.Count == 0)
{
    Console.Error.WriteLine($"no notebook matches {string.Join(", ", names)} in {Repository.NotebookFolder(root)}");
    return 2;
}

switch (args[0])
{
    case "run":
        if (!options.Contains("--no-build"))
        {
            Console.WriteLine("building the kit (Notebooks/kit/) …");
            Repository.BuildKit(root);
        }
        var total = Stopwatch.StartNew();
        foreach (var path in paths)
        {
            NotebookRun run;
            try
            {
                run = await NotebookRunner.RunAsync(NotebookDocument.Read(path));
            }
            catch (NotebookCellException e)
            {
                Console.Error.WriteLine($"FAILED {e.Message}");
                return 1;
            }
            if (options.Contains("--write")) run.Document.Write();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Document.Name}: {run.Document.Cells.Count(c => c.IsCode)} code cells in {run.Elapsed.TotalSeconds:0.0} s{(options.Contains("--write") ? $", written ({new FileInfo(path).Length / 1024.0:0} KiB)" : "")}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{paths.Count} notebooks in {total.Elapsed.TotalSeconds:0.0} s"));
        return 0;

    case "twins":
        var differ = 0;
        foreach (var path in paths)
        {
            var twin = TwinGenerator.Generate(NotebookDocument.Read(path), root);
            var target = Repository.TwinPath(path);
            var same = File.Exists(target) && File.ReadAllText(target) == twin;
            if (options.Contains("--check"))
            {
                if (!same) differ++;
                Console.WriteLine($"{Path.GetFileName(target)}: {(same ? "up to date" : "DIFFERS from its notebook")}");
            }
            else
            {
                if (!same) File.WriteAllText(target, twin);
                Console.WriteLine($"{Path.GetFileName(target)}: {(same ? "up to date" : "written")}");
            }
        }
        if (differ > 0) Console.Error.WriteLine($"{differ} twin(s) differ: run 'dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins'");
        return differ == 0 ? 0 : 1;

    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
