using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace ScratchNet.Kernels;

/// <summary>
/// One piece of work split into numbered chunks, for <see cref="WorkerPool.Run{TWork}(in TWork, int)"/>.
/// A chunk must write only its own outputs, and compute them the same way whichever thread runs it.
/// </summary>
internal interface IChunkWork
{
    /// <summary>Runs chunk <paramref name="chunk"/> of the work.</summary>
    void Execute(int chunk);
}

/// <summary>
/// Runs the chunks of one piece of work on the calling thread and on <c>ProcessorCount − 1</c>
/// background threads that stay awake between calls, so that a product of a few microseconds can still
/// be split over the cores (<see cref="Parallel.For(int, int, Action{int})"/> costs more than that to
/// start, and allocates).
/// </summary>
/// <remarks>
/// <para>
/// The caller takes chunks from the front (0, 1, …) and the workers from the back, until none is
/// left; then the caller waits for the chunks the workers took. Nothing waits for a worker that is
/// asleep or busy: the caller simply runs every chunk itself. So with two chunks, each core usually
/// runs the same half every time (and finds its data in its own cache), and a call never takes longer
/// than running the work on one thread plus one chunk.
/// </para>
/// <para>
/// Which thread runs a chunk never changes a result, because each output belongs to one chunk and is
/// computed by the same code wherever it runs. The pool is a process-wide resource, like the .NET
/// thread pool: a second thread that calls while the pool is busy (or a chunk that calls it again)
/// runs its own work inline instead of waiting.
/// </para>
/// <para>
/// Workers spin for <see cref="SpinTime"/> after their last chunk, because the next call in a training
/// loop is microseconds away and waking a sleeping thread takes tens of microseconds; then they sleep
/// until the next call, so an idle process uses no CPU.
/// </para>
/// </remarks>
internal static unsafe class WorkerPool
{
    /// <summary>How long a worker looks for new work before it goes to sleep.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 2000; // 0.5 ms

    private static readonly SemaphoreSlim Wake = new(0);

    // The chunks left of the current call, [front, back), and the call's number, in one word so that a
    // thread claims a chunk with one compare-and-swap: bits 0–15 front, 16–31 back, 32–63 the call.
    private static long _state;
    private static int _finished;
    private static int _sleeping;
    private static int _busy;
    private static delegate*<int, void> _execute;
    private static ExceptionDispatchInfo? _failure;

    static WorkerPool()
    {
        Workers = Math.Max(0, Environment.ProcessorCount - 1);
        for (int i = 0; i < Workers; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"ScratchNet worker {i + 1}" }.Start();
        }
    }

    /// <summary>The number of background threads: one fewer than the cores this process may use.</summary>
    public static int Workers { get; }

    /// <summary>The most chunks one call may have.</summary>
    public static int MaxChunks => ushort.MaxValue;

    /// <summary>
    /// Runs <c>work.Execute(c)</c> once for every chunk c in [0, <paramref name="chunks"/>), over the
    /// cores when the pool is free, and returns when all have finished. An exception from a chunk is
    /// rethrown here after the other chunks finish.
    /// </summary>
    public static void Run<TWork>(in TWork work, int chunks)
        where TWork : struct, IChunkWork
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks, MaxChunks);
        if (chunks <= 1 || Workers == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunInline(work, chunks);
            return;
        }

        try
        {
            Slot<TWork>.Work = work;
            _execute = &Slot<TWork>.Execute;
            _failure = null;
            _finished = 0;
            long call = (Volatile.Read(ref _state) >> 32) + 1;
            Publish(call, chunks);

            int mine = 0;
            while (TryClaim(call, fromFront: true, out int chunk))
            {
                RunChunk(chunk);
                mine++;
            }

            if (Volatile.Read(ref _finished) + mine != chunks)
            {
                int spins = 0;
                while (Volatile.Read(ref _finished) + mine != chunks)
                {
                    Relax(ref spins);
                }
            }

            Slot<TWork>.Forget();
            _failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Makes call <paramref name="call"/> with <paramref name="chunks"/> chunks visible to the workers, and wakes any that sleep.</summary>
    private static void Publish(long call, int chunks)
    {
        Interlocked.Exchange(ref _state, (call << 32) | ((long)chunks << 16));
        if (Volatile.Read(ref _sleeping) > 0)
        {
            int sleepers = Interlocked.Exchange(ref _sleeping, 0);
            if (sleepers > 0)
            {
                Wake.Release(sleepers);
            }
        }
    }

    /// <summary>Every chunk on this thread, in order; like a split call, an exception waits until all have run.</summary>
    private static void RunInline<TWork>(in TWork work, int chunks)
        where TWork : struct, IChunkWork
    {
        ExceptionDispatchInfo? failure = null;
        for (int c = 0; c < chunks; c++)
        {
            try
            {
                work.Execute(c);
            }
            catch (Exception e)
            {
                failure ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        failure?.Throw();
    }

    /// <summary>Takes the next chunk of call <paramref name="call"/> from the front or the back, if one is left.</summary>
    private static bool TryClaim(long call, bool fromFront, out int chunk)
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            int front = (int)(state & 0xFFFF), back = (int)((state >> 16) & 0xFFFF);
            if (state >> 32 != call || front >= back)
            {
                chunk = -1;
                return false;
            }

            long next = fromFront ? state + 1 : state - (1L << 16);
            if (Interlocked.CompareExchange(ref _state, next, state) == state)
            {
                chunk = fromFront ? front : back - 1;
                return true;
            }
        }
    }

    private static void RunChunk(int chunk)
    {
        try
        {
            _execute(chunk);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    private static void Work()
    {
        long seen = 0;
        while (true)
        {
            long call = WaitForCall(seen);
            seen = call;
            while (TryClaim(call, fromFront: false, out int chunk))
            {
                RunChunk(chunk);
                Interlocked.Increment(ref _finished);
            }
        }
    }

    /// <summary>Spins, then sleeps, until a call after <paramref name="seen"/> has chunks left; returns its number.</summary>
    private static long WaitForCall(long seen)
    {
        while (true)
        {
            // A plain loop, without the PAUSE instruction of Thread.SpinWait: under a hypervisor, a virtual
            // CPU that runs PAUSE in a loop is taken for a lock waiter and descheduled (pause-loop
            // exiting). Measured on this project's 2-core VM, a worker that spun with PAUSE missed most
            // calls and ran the rest at half speed.
            long start = Stopwatch.GetTimestamp();
            do
            {
                for (int i = 0; i < 64; i++)
                {
                    long state = Volatile.Read(ref _state);
                    if (state >> 32 != seen && (state & 0xFFFF) < ((state >> 16) & 0xFFFF))
                    {
                        return state >> 32;
                    }

                    Pause();
                }
            }
            while (Stopwatch.GetTimestamp() - start < SpinTime);

            // Announce the sleep before the last look, so a call published meanwhile either is seen here
            // or sees the announcement and wakes this thread (a spare wake-up only costs a loop).
            Interlocked.Increment(ref _sleeping);
            long last = Volatile.Read(ref _state);
            if (last >> 32 == seen || (last & 0xFFFF) >= ((last >> 16) & 0xFFFF))
            {
                Wake.Wait();
            }
        }
    }

    /// <summary>
    /// One turn of a caller's wait for a worker: no PAUSE instruction (see <see cref="WaitForCall"/>), and
    /// now and then the rest of the time slice is given away, in case the worker waits for this core.
    /// </summary>
    private static void Relax(ref int spins)
    {
        Pause();
        if (++spins % 4096 == 0)
        {
            Thread.Yield();
        }
    }

    /// <summary>
    /// A few nanoseconds between two looks at a shared word, so the looking thread does not keep taking
    /// the cache line from the thread that writes it; a call, not the PAUSE instruction (see <see cref="WaitForCall"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Pause()
    {
    }

    /// <summary>The work of the current call, kept per type so that handing it over allocates nothing.</summary>
    private static class Slot<TWork>
        where TWork : struct, IChunkWork
    {
        public static TWork Work;

        public static void Execute(int chunk) => Work.Execute(chunk);

        public static void Forget() => Work = default;
    }
}
