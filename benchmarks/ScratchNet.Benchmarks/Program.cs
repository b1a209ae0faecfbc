using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/ScratchNet.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
