using Cnn.Functional.MLNet.LoadCheck;

return LoadCheck.Run(args, Console.Out, Console.Error);
