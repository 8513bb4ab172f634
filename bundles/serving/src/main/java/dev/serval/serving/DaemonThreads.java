package dev.serval.serving;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kernel's own threads: daemons, so that none keeps a stopping server alive, and started
 * without the thread-locals of the thread that asked for them. A worker started by a shell
 * command would otherwise inherit the shell session's {@code System.out} (Gogo redirects it per
 * thread through an inheritable thread-local) and write its log there for the rest of its life.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /**
     * @param task what the thread runs
     * @param name the thread's name
     * @return the new thread, not started
     */
    public static Thread create(Runnable task, String name) {
        Thread thread = new Thread(null, task, name, 0, false);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * @param name the name of the one thread it makes, for a single-thread executor
     * @return a factory of such threads
     */
    public static ThreadFactory named(String name) {
        return task -> create(task, name);
    }

    /**
     * @param prefix the threads' names, before their number
     * @return a factory of such threads, numbered from 1
     */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> create(task, prefix + count.incrementAndGet());
    }
}
