package dev.serval.bench;

/** One measured call of a benchmark thread: a handler call or an HTTP request. */
@FunctionalInterface
interface Operation {

    /**
     * @return the requests it answered (a handler call may answer a batch)
     * @throws Exception when it failed; counted as an error of each request it carried
     */
    int call() throws Exception;
}
