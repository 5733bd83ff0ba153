package io.segmat.ingest;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads, and prepares, records in a thread of its own, ahead of the step: while a chunk
 * is written, the next one is parsed and checked. An import is a pipeline of work in the
 * JVM and work in the database, one after the other for each chunk; on two cores they can
 * overlap.
 * <p>
 * The step sees an ordinary counting reader: items come in the source's order, and the
 * restart position is the number of items the step took, not the number read ahead. On
 * restart the source is read from its start and the items before that position are
 * prepared again and dropped, as a counting reader does. {@code prepare} runs in the
 * reading thread only, so it may keep state of its own; it must not touch the step's.
 */
public class ReadAheadReader<S, T> extends AbstractItemCountingItemStreamItemReader<T> {

	private final ItemStreamReader<S> source;

	private final Function<S, T> prepare;

	private final int capacity;

	private BlockingQueue<Ahead<T>> queue;

	private Thread thread;

	private boolean finished;

	/**
	 * @param name the name of the position in the step's ExecutionContext; a source's own
	 * name keeps the restart position of executions it started
	 * @param capacity how many items may wait; about a chunk
	 */
	public ReadAheadReader(String name, ItemStreamReader<S> source, Function<S, T> prepare, int capacity) {
		this.source = source;
		this.prepare = prepare;
		this.capacity = Math.max(1, capacity);
		setName(name);
	}

	@Override
	protected void doOpen() {
		// The source starts afresh: the position that matters is this reader's, and the
		// base class skips to it.
		this.source.open(new ExecutionContext());
		this.queue = new ArrayBlockingQueue<>(this.capacity);
		this.finished = false;
		this.thread = new Thread(this::readAhead, "segmat-read-ahead");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void readAhead() {
		try {
			S record;
			while ((record = this.source.read()) != null) {
				this.queue.put(new Ahead<>(this.prepare.apply(record), null));
			}
			this.queue.put(new Ahead<>(null, null));
		}
		catch (InterruptedException ex) {
			// closed: nobody reads any more
		}
		catch (Exception ex) {
			try {
				this.queue.put(new Ahead<>(null, ex));
			}
			catch (InterruptedException interrupted) {
				// closed meanwhile
			}
		}
	}

	@Override
	protected T doRead() throws Exception {
		if (this.finished) {
			return null;
		}
		Ahead<T> next = this.queue.take();
		if (next.failure() != null) {
			this.finished = true;
			throw next.failure();
		}
		if (next.item() == null) {
			this.finished = true;
		}
		return next.item();
	}

	@Override
	protected void doClose() throws Exception {
		if (this.thread != null) {
			this.thread.interrupt();
			boolean interrupted = false;
			while (true) {
				try {
					this.thread.join();
					break;
				}
				catch (InterruptedException ex) {
					// The source must not be closed under the reading thread: wait for
					// it, then pass the interrupt on.
					interrupted = true;
				}
			}
			this.thread = null;
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		this.queue = null;
		this.source.close();
	}

	/**
	 * An item read ahead; {@code item} null is the end, unless {@code failure} says why
	 * reading stopped.
	 */
	private record Ahead<T>(T item, Exception failure) {
	}

}
