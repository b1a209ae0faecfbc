namespace ScratchNet.Samples;

/// <summary>
/// The samples' entry point: help, then the command line, the path checks and the loading of inputs, then the
/// training, each failure reported as one line <c>error: …</c> (never a stack trace) with its exit code.
/// </summary>
/// <remarks>
/// Exit codes: <see cref="Done"/>; <see cref="WritingFailed"/> when training ran but writing its results (a
/// checkpoint, the model, the pictures) failed, which the checks before training make rare (a full disk, a folder
/// removed meanwhile), or training itself stopped on a non-finite cost or gradient or diverged (the library's
/// <see cref="ArithmeticException"/>, whose message says where and what to change); <see cref="BadCommandLine"/> when an option, a path or an input file (MNIST, a model, a
/// checkpoint) is wrong, printed with the usage, before anything is trained.
/// </remarks>
internal static class SampleRun
{
    public const int Done = 0;
    public const int WritingFailed = 1;
    public const int BadCommandLine = 2;

    /// <summary>
    /// Prints <paramref name="help"/> for <c>--help</c> or <c>-h</c>; otherwise calls <paramref name="prepare"/>
    /// (parse, check, load: it throws <see cref="ArgumentException"/>, <see cref="IOException"/>,
    /// <see cref="InvalidDataException"/> or <see cref="UnauthorizedAccessException"/> for a bad command line or
    /// input) and then the work it returns (which may throw <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> while writing).
    /// </summary>
    public static int Run(string[] args, string usage, string help, Func<string[], Func<int>> prepare, TextWriter? output = null, TextWriter? errors = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        if (SampleCommandLine.AsksForHelp(args))
        {
            output.WriteLine(help);
            return Done;
        }

        Func<int> work;
        try
        {
            work = prepare(args);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {OneLine(e.Message)}");
            errors.WriteLine(usage);
            return BadCommandLine;
        }

        try
        {
            return work();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArithmeticException)
        {
            errors.WriteLine($"error: {OneLine(e.Message)}");
            return WritingFailed;
        }
    }

    /// <summary>Throws the problem a check found (see <see cref="SamplePaths"/>) as an <see cref="ArgumentException"/>.</summary>
    public static void Require(string? problem)
    {
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
