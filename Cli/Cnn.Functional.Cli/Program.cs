using Cnn.Functional.Cli;

return CnnfApp.Run(args, Console.Out, Console.Error);
