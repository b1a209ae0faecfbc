namespace ScratchNet.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_runs_half_a_cosine_from_the_initial_rate_to_the_final_one()
    {
        LearningRateSchedule schedule = LearningRateSchedule.Cosine(1f, 0.1f);

        // 0.1 + 0.9·(1 + cos(π·t))/2 for t = 0, ¼, ½, ¾, 1
        float[] rates = Enumerable.Range(1, 5).Select(e => schedule.LearningRate(e, 5)).ToArray();
        Assert.Equal(1f, rates[0]);
        Assert.Equal(0.86819805f, rates[1], 6);
        Assert.Equal(0.55f, rates[2], 6);
        Assert.Equal(0.23180195f, rates[3], 6);
        Assert.Equal(0.1f, rates[4], 6);
        Assert.Equal(2f, LearningRateSchedule.Cosine(2f, 0.1f).LearningRate(1, 1));
    }

    [Fact]
    public void Warmup_cosine_rises_linearly_to_the_peak_then_anneals_to_the_final_rate()
    {
        LearningRateSchedule schedule = LearningRateSchedule.WarmupCosine(1f, warmupEpochs: 2, final: 0.1f);

        // warm-up: 1·e/2; then the cosine over epochs 2 → 6, t = (e − 2)/4
        float[] rates = Enumerable.Range(1, 6).Select(e => schedule.LearningRate(e, 6)).ToArray();
        Assert.Equal(0.5f, rates[0]);
        Assert.Equal(1f, rates[1]);
        Assert.Equal(0.86819805f, rates[2], 6);
        Assert.Equal(0.55f, rates[3], 6);
        Assert.Equal(0.23180195f, rates[4], 6);
        Assert.Equal(0.1f, rates[5], 6);
    }

    [Fact]
    public void A_run_no_longer_than_the_warmup_is_all_warmup()
    {
        LearningRateSchedule schedule = LearningRateSchedule.WarmupCosine(0.8f, warmupEpochs: 4, final: 0.01f);

        Assert.Equal([0.2f, 0.4f, 0.6f], Enumerable.Range(1, 3).Select(e => schedule.LearningRate(e, 3)));
    }

    [Fact]
    public void Bad_settings_are_rejected_by_name()
    {
        Assert.StartsWith("A learning rate must be a positive finite number.", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(1f, 0f)).Message);
        Assert.StartsWith("The warm-up lasts at least one epoch.", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.WarmupCosine(1f, 0, 0.1f)).Message);
        Assert.Equal("peak", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.WarmupCosine(float.NaN, 2, 0.1f)).ParamName);
    }
}
