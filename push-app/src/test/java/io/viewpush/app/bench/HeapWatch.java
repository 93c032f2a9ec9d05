package io.viewpush.app.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Peak heap occupancy of this JVM: the heap in use just before each collection (the most it held
 * between two collections), the highest since {@link #reset()}.
 */
final class HeapWatch {
    private final AtomicLong peak = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(p -> p.getName()).collect(Collectors.toSet());

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                note(info.getGcInfo().getMemoryUsageBeforeGc());
            }, null, null);
        }
    }

    private void note(Map<String, MemoryUsage> before) {
        long used = before.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
        peak.accumulateAndGet(used, Math::max);
    }

    /** Forgets the peak so far (after a warm-up). */
    void reset() {
        System.gc();
        peak.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** @return the peak heap in use since {@link #reset()}, in bytes */
    long peak() {
        return Math.max(peak.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
}
