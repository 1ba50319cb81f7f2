using MLPipelines.Serving.Api;

namespace MLPipelines.Serving.Tests;

[TestClass]
public sealed class PredictionGateTests
{
    [TestMethod]
    public async Task AtMostTheConfiguredNumberRunAtOnce()
    {
        using var gate = new PredictionGate(new ServeOptions { ModelsFolder = ".", MaxConcurrentPredictions = 2 });
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = await gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.IsFalse(third.IsCompleted, "the third waits while two run");
        first.Dispose();
        first.Dispose(); // a turn is given back once, however often it is disposed
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        second.Dispose();
        var a = await gate.EnterAsync(CancellationToken.None);
        var b = await gate.EnterAsync(CancellationToken.None);
        Assert.IsFalse(gate.EnterAsync(CancellationToken.None).IsCompleted, "still two at most");
    }

    [TestMethod]
    public async Task ZeroMeansNoLimit_AndAWaitCanBeCancelled()
    {
        using var unlimited = new PredictionGate(new ServeOptions { ModelsFolder = ".", MaxConcurrentPredictions = 0 });
        var turns = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => unlimited.EnterAsync(CancellationToken.None)));
        Assert.HasCount(50, turns);

        using var one = new PredictionGate(new ServeOptions { ModelsFolder = ".", MaxConcurrentPredictions = 1 });
        using var held = await one.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<OperationCanceledException>(() => one.EnterAsync(cancel.Token), "a client that goes away stops waiting");
    }
}
