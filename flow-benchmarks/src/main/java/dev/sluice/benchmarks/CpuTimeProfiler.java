package dev.sluice.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler for shared, noisy machines: it reports how much CPU the benchmark JVM got during each
 * iteration ({@code cpu.util}, in cores) and the primary score per CPU second instead of per wall-clock
 * second ({@code score.cpu}): the throughput the code would have with a core to itself, setting aside the time
 * other processes took. It does not undo the slowdown other processes cause through shared caches or a
 * sibling hardware thread. Use with {@code -prof dev.sluice.benchmarks.CpuTimeProfiler} and one benchmark
 * thread; the JVM's own threads (JIT, GC) count as benchmark CPU, so read it after warm-up.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "process CPU time per iteration, and the score per CPU second";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = processCpuNanos();
    }

    @Override
    public List<Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long cpu = processCpuNanos() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        if (cpu <= 0 || wall <= 0) {
            return List.of();
        }
        double util = (double) cpu / wall;
        double perCpu = result.getPrimaryResult().getScore() * wall / cpu;
        return List.of(
                new ScalarResult("cpu.util", util, "cores", AggregationPolicy.AVG),
                new ScalarResult("score.cpu", perCpu, result.getScoreUnit(), AggregationPolicy.AVG));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
