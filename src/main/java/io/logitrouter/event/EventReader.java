package io.logitrouter.event;

import static io.logitrouter.event.Messages.describe;
import static io.logitrouter.event.Messages.quote;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.ScoringException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming reader of one event that extracts the fields needed for scoring and skips the rest.
 *
 * <p>{@link #read} throws a {@link ScoringException} at once for bytes that are not exactly one
 * well-formed JSON value ({@code invalid-json}), exceed a limit ({@code too-large}) or are not
 * an object ({@code not-an-object}). Problems with the content of a well-formed object are
 * recorded in {@link #problems()} and reading continues, so that a syntax error later in the
 * value still takes precedence. Instances are not thread-safe, because they reuse their buffers
 * from one read to the next.
 */
final class EventReader {

    /**
     * Jackson's default limits on the length of a number token (1000 characters) and of a field
     * name (50,000 characters). Exceeding them gives {@code too-large}, and they bound the cost of
     * converting a number.
     */
    private static final int MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;
    private static final int MAX_NAME_LENGTH = StreamReadConstraints.DEFAULT_MAX_NAME_LEN;
    private static final int MAX_JSON_ERROR_LENGTH = 160;

    private final JsonFactory factory;
    private final EventLimits limits;
    private final Problems problems = new Problems();
    private final String[] modelNames;
    private final char[][] modelNameChars;
    private final FieldNameSet fieldNames = new FieldNameSet();
    /** Object numbers of the open objects and arrays that {@link #skipValue} is inside. */
    private int[] openContainers = new int[16];

    private int closingBraceOffset;
    private boolean idValid;
    private boolean modelPresent;
    private String modelName;
    private EventKind kind;
    private String[] entryNames = new String[64];
    private double[] entryValues = new double[64];
    private int entryCount;

    /**
     * @param limits the size and nesting limits
     * @param modelNames the loaded model names; a {@code model} value equal to one of them is
     *     returned as that instance, which avoids creating a string per record
     */
    EventReader(EventLimits limits, List<String> modelNames) {
        this.limits = limits;
        this.modelNames = modelNames.toArray(String[]::new);
        this.modelNameChars = new char[this.modelNames.length][];
        for (int i = 0; i < this.modelNames.length; i++) {
            modelNameChars[i] = this.modelNames[i].toCharArray();
        }
        this.factory = JsonFactory.builder()
                .recyclerPool(new ReaderBufferPool())
                // FastDoubleParser, bundled with Jackson, parses 17-digit decimals much faster than
                // Double.parseDouble and also returns the correctly rounded double.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                // Interned field names match the interned keys of Model's lookup maps by identity.
                // Jackson interns a name once, when it enters its symbol table, not per record.
                .enable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                .errorReportConfiguration(ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(Messages.MAX_QUOTED_LENGTH)
                        .maxRawContentLength(Messages.MAX_QUOTED_LENGTH)
                        .build())
                .build();
    }

    /**
     * Reads one event value.
     *
     * <p>Checks run in this order, and the first failing one is thrown: null or empty
     * ({@code empty-value}), size ({@code too-large}), a UTF-8 byte-order mark, a NUL byte in the
     * first four bytes or invalid UTF-8 anywhere ({@code invalid-json}), then one pass of the
     * parser, which stops at the first syntax error or duplicate key ({@code invalid-json}) or
     * exceeded nesting depth, number length or name length ({@code too-large}), whichever comes
     * first in the document, then an escaped lone surrogate anywhere ({@code invalid-json}).
     * A well-formed value that is not an object gives {@code not-an-object}.
     *
     * @throws ScoringException for the problems above; content problems are only recorded
     */
    void read(byte[] value) {
        reset();
        validateBytes(value);
        try (JsonParser parser = factory.createParser(value)) {
            readDocument(parser, value);
        } catch (StreamConstraintsException e) {
            throw new ScoringException(DeadLetterReason.TOO_LARGE,
                    "value exceeds a parser limit" + location(e) + ": " + truncate(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON,
                    "value is not valid JSON" + location(e) + ": " + truncate(e.getOriginalMessage()));
        } catch (IOException e) {
            // A parser over a byte array performs no I/O, so only parse errors reach here.
            throw new ScoringException(DeadLetterReason.INVALID_JSON, "value cannot be parsed: " + e);
        }
    }

    /** Returns the offset of the closing brace of the event object. */
    int closingBraceOffset() {
        return closingBraceOffset;
    }

    boolean idValid() {
        return idValid;
    }

    /** Returns whether the event has a {@code model} field, whatever its type. */
    boolean modelPresent() {
        return modelPresent;
    }

    /** Returns the value of {@code model} if it is a string, else null. */
    String modelName() {
        return modelName;
    }

    /** Returns which scores object the event has, or null if it has neither logits nor features. */
    EventKind kind() {
        return kind;
    }

    /** Returns the number of finite numeric entries stored from the first scores object. */
    int entryCount() {
        return entryCount;
    }

    String entryName(int index) {
        return entryNames[index];
    }

    double entryValue(int index) {
        return entryValues[index];
    }

    Problems problems() {
        return problems;
    }

    private void reset() {
        closingBraceOffset = -1;
        idValid = false;
        modelPresent = false;
        modelName = null;
        kind = null;
        Arrays.fill(entryNames, 0, entryCount, null);
        entryCount = 0;
        problems.reset();
        fieldNames.clear();
    }

    private void validateBytes(byte[] value) {
        if (value == null) {
            throw new ScoringException(DeadLetterReason.EMPTY_VALUE, "value is null (a tombstone)");
        }
        if (value.length == 0) {
            throw new ScoringException(DeadLetterReason.EMPTY_VALUE, "value is empty");
        }
        if (value.length > limits.maxEventBytes()) {
            throw new ScoringException(DeadLetterReason.TOO_LARGE, "value has " + value.length
                    + " bytes, more than the limit of " + limits.maxEventBytes() + " bytes");
        }
        // Jackson would skip a byte-order mark silently, but JSON sent over a network must not
        // start with one (RFC 8259, section 8.1), and the output is spliced from these bytes.
        if (value.length >= 3 && (value[0] & 0xFF) == 0xEF && (value[1] & 0xFF) == 0xBB
                && (value[2] & 0xFF) == 0xBF) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON,
                    "value starts with a UTF-8 byte-order mark; send JSON without one");
        }
        // Jackson guesses UTF-16 or UTF-32 from NUL bytes among the first four bytes. A NUL byte
        // cannot occur anywhere in JSON text, so rejecting it keeps the parser on UTF-8.
        for (int i = 0; i < Math.min(4, value.length); i++) {
            if (value[i] == 0) {
                throw new ScoringException(DeadLetterReason.INVALID_JSON,
                        "value is not valid JSON: NUL byte at offset " + i + "; events must be UTF-8");
            }
        }
        int invalid = Utf8.findInvalid(value);
        if (invalid >= 0) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON, String.format(
                    "value is not valid UTF-8: invalid byte 0x%02X at offset %d", value[invalid] & 0xFF, invalid));
        }
    }

    private void readDocument(JsonParser parser, byte[] value) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON,
                    "value is not valid JSON: it contains only whitespace");
        }
        if (first != JsonToken.START_OBJECT) {
            skipValue(parser, first);
            requireEndOfInput(parser);
            rejectLoneSurrogates(value);
            throw new ScoringException(DeadLetterReason.NOT_AN_OBJECT,
                    "value is " + describe(first) + ", but an event must be a JSON object");
        }

        int event = fieldNames.newObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            addFieldName(parser, event, field);
            JsonToken token = parser.nextToken();
            switch (field) {
                case "id":
                    readId(parser, token);
                    break;
                case "model":
                    readModel(parser, token);
                    break;
                case "logits":
                    readScores(parser, token, EventKind.LOGITS);
                    break;
                case "features":
                    readScores(parser, token, EventKind.FEATURES);
                    break;
                case "scoring":
                    problems.record(DeadLetterReason.RESERVED_FIELD, "event already has a top-level scoring "
                            + "field, which is reserved for the output; rename or remove it");
                    skipValue(parser, token);
                    break;
                default:
                    skipValue(parser, token);
                    break;
            }
        }
        // The loop ends only at the END_OBJECT of the event, because the parser rejects anything else.
        closingBraceOffset = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        requireEndOfInput(parser);
        rejectLoneSurrogates(value);
    }

    private static void rejectLoneSurrogates(byte[] value) {
        int offset = JsonEscapes.findLoneSurrogate(value);
        if (offset >= 0) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON, "value is not valid JSON: the escape "
                    + new String(value, offset, 6, StandardCharsets.US_ASCII) + " at offset " + offset
                    + " is a lone surrogate, so the string is not valid Unicode");
        }
    }

    private void readId(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            if (problems.accepts(DeadLetterReason.INVALID_ID)) {
                problems.record(DeadLetterReason.INVALID_ID,
                        "id is " + describe(token) + ", but it must be a non-empty string");
            }
            skipValue(parser, token);
        } else if (parser.getTextLength() == 0) {
            problems.record(DeadLetterReason.INVALID_ID, "id is an empty string, but it must be a non-empty string");
        } else {
            idValid = true;
        }
    }

    private void readModel(JsonParser parser, JsonToken token) throws IOException {
        modelPresent = true;
        if (token == JsonToken.VALUE_STRING) {
            modelName = knownModelName(parser);
            if (modelName == null) {
                modelName = parser.getText();
            }
            return;
        }
        if (problems.accepts(DeadLetterReason.UNKNOWN_MODEL)) {
            problems.record(DeadLetterReason.UNKNOWN_MODEL,
                    "model is " + describe(token) + ", but it must be a string naming a loaded model");
        }
        skipValue(parser, token);
    }

    private void readScores(JsonParser parser, JsonToken token, EventKind fieldKind) throws IOException {
        boolean first = kind == null;
        if (first) {
            kind = fieldKind;
        } else {
            problems.record(DeadLetterReason.AMBIGUOUS_SCORES,
                    "event has both logits and features, but it must have exactly one of them");
        }
        if (token != JsonToken.START_OBJECT) {
            if (problems.accepts(DeadLetterReason.MISSING_SCORES)) {
                problems.record(DeadLetterReason.MISSING_SCORES, fieldKind.field() + " is " + describe(token)
                        + ", but it must be an object mapping names to numbers");
            }
            skipValue(parser, token);
            return;
        }
        readEntries(parser, fieldKind, first);
    }

    /** Returns the loaded model name equal to the current string token, or null if none is. */
    private String knownModelName(JsonParser parser) throws IOException {
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        for (int i = 0; i < modelNames.length; i++) {
            char[] name = modelNameChars[i];
            if (name.length == length && Arrays.equals(name, 0, length, text, offset, offset + length)) {
                return modelNames[i];
            }
        }
        return null;
    }

    /** Reads the entries of a scores object, checking every value whether or not it is used. */
    private void readEntries(JsonParser parser, EventKind fieldKind, boolean store) throws IOException {
        int object = fieldNames.newObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            addFieldName(parser, object, name);
            JsonToken token = parser.nextToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                if (problems.accepts(DeadLetterReason.NON_NUMERIC_VALUE)) {
                    problems.record(DeadLetterReason.NON_NUMERIC_VALUE, fieldKind.field() + "." + quote(name)
                            + " is " + describe(token) + ", but it must be a finite number");
                }
                skipValue(parser, token);
                continue;
            }
            double value = parser.getDoubleValue();
            if (!Double.isFinite(value)) {
                if (problems.accepts(DeadLetterReason.NON_FINITE_VALUE)) {
                    problems.record(DeadLetterReason.NON_FINITE_VALUE, fieldKind.field() + "." + quote(name)
                            + " is " + quote(parser.getText()) + ", which is outside the range of a double");
                }
                continue;
            }
            if (store) {
                addEntry(name, value);
            }
        }
    }

    /**
     * Skips the value that starts with {@code token}, checking the field names of every object
     * in it for duplicates. The parser enforces the nesting limit, which bounds the stack.
     */
    private void skipValue(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 0;
        openContainers[depth++] = token == JsonToken.START_OBJECT ? fieldNames.newObject() : 0;
        while (depth > 0) {
            switch (parser.nextToken()) {
                case FIELD_NAME:
                    addFieldName(parser, openContainers[depth - 1], parser.currentName());
                    break;
                case START_OBJECT:
                    openContainers = ensureDepth(openContainers, depth);
                    openContainers[depth++] = fieldNames.newObject();
                    break;
                case START_ARRAY:
                    openContainers = ensureDepth(openContainers, depth);
                    openContainers[depth++] = 0;
                    break;
                case END_OBJECT:
                case END_ARRAY:
                    depth--;
                    break;
                default:
                    break;
            }
        }
    }

    private static int[] ensureDepth(int[] stack, int depth) {
        return depth < stack.length ? stack : Arrays.copyOf(stack, stack.length * 2);
    }

    private void addFieldName(JsonParser parser, int object, String name) {
        if (!fieldNames.add(object, name)) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON, "value has the key \"" + quote(name)
                    + "\" twice in one object at offset " + parser.currentTokenLocation().getByteOffset()
                    + "; duplicate keys make the event ambiguous");
        }
    }

    private void addEntry(String name, double value) {
        if (entryCount == entryNames.length) {
            entryNames = Arrays.copyOf(entryNames, entryCount * 2);
            entryValues = Arrays.copyOf(entryValues, entryCount * 2);
        }
        entryNames[entryCount] = name;
        entryValues[entryCount] = value;
        entryCount++;
    }

    private static void requireEndOfInput(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new ScoringException(DeadLetterReason.INVALID_JSON, "value is not valid JSON: "
                    + "more data follows the first value at offset " + parser.currentTokenLocation().getByteOffset());
        }
    }

    private static String location(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getByteOffset() < 0) {
            return "";
        }
        return " at offset " + location.getByteOffset();
    }

    private static String truncate(String message) {
        return message == null ? "" : quote(message, MAX_JSON_ERROR_LENGTH);
    }
}
