package io.segmat.testsupport;

import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Starts two calls at the same instant, as two cron jobs, or a command and an API
 * request, may start them: each waits on its own thread until both are ready.
 */
public final class SameInstant implements AutoCloseable {

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	/**
	 * Runs both calls at once and waits for both.
	 * @throws java.util.concurrent.ExecutionException if either failed
	 */
	public <A, B> Both<A, B> run(Callable<A> first, Callable<B> second) throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		Future<A> one = this.threads.submit(() -> {
			start.await();
			return first.call();
		});
		Future<B> two = this.threads.submit(() -> {
			start.await();
			return second.call();
		});
		return new Both<>(one.get(1, TimeUnit.MINUTES), two.get(1, TimeUnit.MINUTES));
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/** What the two calls returned. */
	public record Both<A, B>(A first, B second) {
	}

}
