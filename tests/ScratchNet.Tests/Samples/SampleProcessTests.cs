using System.Diagnostics;

namespace ScratchNet.Tests.Samples;

/// <summary>
/// The built samples run as processes with inputs that fail before training (a second each, no MNIST read):
/// the exit code, one error line with the usage, and never a stack trace.
/// </summary>
public sealed class SampleProcessTests : IDisposable
{
    private const string UsageStart = "usage: ";
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"scratchnet-cli-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SeedNetwork_with_a_missing_evaluate_file_exits_2_with_one_error_line_and_no_stack_trace()
    {
        string missing = Path.Combine(_folder, "missing.scnn");

        (int exit, string output, string errors) = RunSample("SeedNetwork", "--evaluate", missing);

        AssertOneErrorLineThenUsage(exit, output, errors, $"error: --evaluate: the file '{missing}' does not exist.", "SeedNetwork");
    }

    [Fact]
    public void ConvNet_with_a_damaged_resume_checkpoint_exits_2_with_one_error_line_and_no_stack_trace()
    {
        string damaged = Path.Combine(_folder, "run.scnn");
        File.WriteAllBytes(damaged, [0x4A, 0x55, 0x4E, 0x4B, 0x01, 0x02, 0x03]);

        (int exit, string output, string errors) = RunSample("ConvNet", "--resume", damaged, "--data", Path.Combine(_folder, "never-read"));

        AssertOneErrorLineThenUsage(exit, output, errors, $"error: Cannot load the model from {damaged}: it is not a ScratchNet model: it starts with 0x4A554E4B, not \"SCNN\" (0x53434E4E) (at byte offset 0).", "ConvNet");
    }

    [Fact]
    public void ConvNet_help_exits_0_and_prints_the_options()
    {
        (int exit, string output, string errors) = RunSample("ConvNet", "--help");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, errors);
        Assert.StartsWith(UsageStart + "ConvNet ", output, StringComparison.Ordinal);
        Assert.Contains("\n  --resume FILE             continue the run checkpointed in FILE", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the sample built beside this test assembly (same configuration), from the test's folder, with a generous bound.</summary>
    private (int Exit, string Output, string Errors) RunSample(string sample, params string[] args)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));   // …/bin/Release/net10.0
        string root = MnistLocator.RepositoryRoot ?? throw new InvalidOperationException("These tests run the samples built in the repository.");
        string dll = Path.Combine(root, "samples", sample, "bin", testOutput.Parent!.Name, testOutput.Name, sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built; the test project references the samples so that it is.");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SCRATCHNET_MNIST");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{sample} {string.Join(' ', args)} did not exit: it should fail before training.");
        }

        return (process.ExitCode, output.Result.ReplaceLineEndings("\n"), errors.Result.ReplaceLineEndings("\n"));
    }

    /// <summary>Exit code 2, nothing on standard output, no stack trace, the one error line, then the sample's usage.</summary>
    private static void AssertOneErrorLineThenUsage(int exit, string output, string errors, string error, string sample)
    {
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        string[] lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(error, lines[0]);
        Assert.StartsWith(UsageStart + sample + " ", lines[1], StringComparison.Ordinal);
        Assert.Single(lines, line => line.StartsWith("error:", StringComparison.Ordinal));
    }
}
