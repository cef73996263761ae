package io.logitrouter.e2e;

/**
 * The end-to-end test under {@code processing.guarantee=exactly_once_v2} on the in-process
 * single-node broker, whose transaction state log has replication factor 1 so that
 * transactions work on one node.
 */
class EndToEndExactlyOnceIT extends EndToEndIT {

    @Override
    String processingGuarantee() {
        return "exactly_once_v2";
    }
}
