package io.logitrouter.errors;

/**
 * The topic, partition and offset a record was read from, enough to find it again with any Kafka client.
 *
 * @param topic the input topic
 * @param partition the input partition
 * @param offset the record's offset in that partition
 */
public record RecordCoordinates(String topic, int partition, long offset) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
