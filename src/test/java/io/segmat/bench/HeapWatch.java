package io.segmat.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The JVM's heap high-water marks. Three views, because "peak heap" alone mostly measures
 * how lazily the collector runs under a generous -Xmx:
 * <ul>
 * <li>the sum of the heap pools' peak usage (MemoryPoolMXBean), an upper bound that
 * includes garbage not yet collected;</li>
 * <li>the highest heap usage seen by a 10 ms sampler, also including garbage;</li>
 * <li>the highest heap usage right after a collection (GC notifications), the live set
 * the process really needs; the heap goal is judged on this one.</li>
 * </ul>
 */
final class HeapWatch implements AutoCloseable {

	private final AtomicLong sampledPeak = new AtomicLong();

	private final AtomicLong afterGcPeak = new AtomicLong();

	private final AtomicLong collections = new AtomicLong();

	private final Thread sampler;

	private volatile boolean running = true;

	HeapWatch() {
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (gc instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener((notification, handback) -> {
					if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
						.equals(notification.getType())) {
						return;
					}
					GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData());
					long used = 0;
					for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
						if (isHeapPool(entry.getKey())) {
							used += entry.getValue().getUsed();
						}
					}
					this.collections.incrementAndGet();
					this.afterGcPeak.accumulateAndGet(used, Math::max);
				}, null, null);
			}
		}
		this.sampler = new Thread(() -> {
			while (this.running) {
				this.sampledPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
						Math::max);
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "bench-heap-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	/** Sum of the heap pools' peak usage since the JVM started. */
	long poolPeaks() {
		long sum = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				MemoryUsage peak = pool.getPeakUsage();
				sum += (peak != null) ? peak.getUsed() : 0;
			}
		}
		return sum;
	}

	long sampledPeak() {
		return this.sampledPeak.get();
	}

	long afterGcPeak() {
		return this.afterGcPeak.get();
	}

	long collections() {
		return this.collections.get();
	}

	static long maxHeap() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
	}

	private static boolean isHeapPool(String name) {
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getName().equals(name)) {
				return pool.getType() == MemoryType.HEAP;
			}
		}
		return false;
	}

	@Override
	public void close() {
		this.running = false;
		this.sampler.interrupt();
	}

}
