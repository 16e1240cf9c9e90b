package org.tollguard;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.TollguardConfig;
import org.tollguard.store.Store;

/** The running agent: wires adapters, engines and enforcers together and stops them in order. */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final Store store;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private Agent(Store store) {
        this.store = store;
    }

    public static Agent start(TollguardConfig config) {
        Store store = Store.open(config.store().path());
        Agent agent = new Agent(store);
        log.info("agent started version={}", Version.get());
        return agent;
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        log.info("agent stopping");
        store.close();
        log.info("agent stopped");
        stopped.countDown();
    }
}
