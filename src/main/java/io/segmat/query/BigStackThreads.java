package io.segmat.query;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with a 256 MB stack: parsing and compiling recurse once per nesting
 * level, and a large stack keeps long AND/OR chains far from its end.
 */
final class BigStackThreads {

	private BigStackThreads() {
	}

	static ExecutorService pool(String name) {
		AtomicInteger count = new AtomicInteger();
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				runnable -> {
					Thread thread = new Thread(null, runnable, name + "-" + count.incrementAndGet(), 256L << 20);
					thread.setDaemon(true);
					return thread;
				});
	}

}
