using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The cores' shared worker: every chunk once, from any number of callers, with errors reported and nothing allocated.</summary>
public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(61)]
    public void Every_chunk_runs_exactly_once(int chunks)
    {
        for (int call = 0; call < 200; call++)
        {
            int[] runs = new int[chunks];
            WorkerPool.Run(new CountChunks(runs), chunks);
            Assert.All(runs, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void Callers_on_several_threads_each_get_all_their_chunks_run()
    {
        // While one caller holds the pool the others run their chunks themselves; none waits or loses a chunk.
        int[][] runs = Enumerable.Range(0, 4).Select(_ => new int[16]).ToArray();
        Parallel.For(0, 4, caller =>
        {
            for (int call = 0; call < 500; call++)
            {
                WorkerPool.Run(new CountChunks(runs[caller]), 16);
            }
        });

        Assert.All(runs, counts => Assert.All(counts, count => Assert.Equal(500, count)));
    }

    [Fact]
    public void A_chunk_that_calls_the_pool_again_runs_that_call_itself()
    {
        int[] inner = new int[6];

        WorkerPool.Run(new Nested(inner), 4);

        Assert.All(inner, count => Assert.Equal(4, count));
    }

    [Fact]
    public void An_exception_in_a_chunk_reaches_the_caller_after_the_other_chunks_ran_and_the_pool_still_works()
    {
        int[] runs = new int[8];

        var e = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(new FailingChunk(runs, failing: 5), 8));

        Assert.Equal("chunk 5 failed", e.Message);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1], runs);
        int[] after = new int[8];
        WorkerPool.Run(new CountChunks(after), 8);
        Assert.All(after, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Handing_out_chunks_allocates_nothing()
    {
        int[] runs = new int[8];
        WorkerPool.Run(new CountChunks(runs), 8);
        long before = GC.GetAllocatedBytesForCurrentThread();

        for (int call = 0; call < 10_000; call++)
        {
            WorkerPool.Run(new CountChunks(runs), 8);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private readonly struct CountChunks(int[] runs) : IChunkWork
    {
        public void Execute(int chunk) => Interlocked.Increment(ref runs[chunk]);
    }

    private readonly struct Nested(int[] inner) : IChunkWork
    {
        public void Execute(int chunk) => WorkerPool.Run(new CountChunks(inner), inner.Length);
    }

    private readonly struct FailingChunk(int[] runs, int failing) : IChunkWork
    {
        public void Execute(int chunk)
        {
            Interlocked.Increment(ref runs[chunk]);
            if (chunk == failing)
            {
                throw new InvalidOperationException($"chunk {chunk} failed");
            }
        }
    }
}
