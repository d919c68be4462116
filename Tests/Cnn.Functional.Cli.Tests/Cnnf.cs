using Cnn.Functional.Cli;

namespace Cnn.Functional.Tests;

/// <summary>Runs <c>cnnf</c> in process and captures what it writes.</summary>
internal static class Cnnf
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CnnfApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
