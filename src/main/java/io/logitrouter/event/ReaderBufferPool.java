package io.logitrouter.event;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;

/**
 * Keeps the parser buffers of one {@link EventReader} from one record to the next.
 *
 * <p>Jackson's default pool finds the buffers through a thread-local, and on a Kafka Streams
 * thread, which has many thread-locals, that lookup showed up in profiles of the hot path.
 * A reader is used by one thread and opens one parser at a time, so a single slot is enough:
 * the parser takes the buffers when it opens and gives them back when it closes. If a second
 * parser opens while the first is still open, it gets new buffers, and the pool keeps
 * whichever set comes back last.
 */
final class ReaderBufferPool implements RecyclerPool<BufferRecycler> {

    private static final long serialVersionUID = 1L;

    private transient BufferRecycler idle;

    @Override
    public BufferRecycler acquirePooled() {
        BufferRecycler buffers = idle;
        if (buffers == null) {
            return new BufferRecycler();
        }
        idle = null;
        return buffers;
    }

    @Override
    public void releasePooled(BufferRecycler buffers) {
        idle = buffers;
    }

    @Override
    public int pooledCount() {
        return idle == null ? 0 : 1;
    }

    @Override
    public boolean clear() {
        idle = null;
        return true;
    }
}
