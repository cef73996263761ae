package io.logitrouter.event;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.logitrouter.model.Label;
import io.logitrouter.model.Model;
import io.logitrouter.scoring.Route;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code scoring} field of one model's output, with every name escaped to JSON bytes in
 * advance, so writing it per record copies bytes and formats only the probabilities.
 *
 * <p>The written text is {@code ,"scoring":{"model":…,"version":…,"probabilities":{…},
 * "fired":[…],"route":…}} followed by the closing brace of the event object.
 */
final class OutputTemplate {

    private static final byte[] FIRED_START = ascii("},\"fired\":[");

    private final byte[] head;
    private final byte[][] probabilityKeys;
    private final byte[][] labelStrings;
    private final byte[][] routeTails;

    OutputTemplate(Model model) {
        this.head = concat(ascii(",\"scoring\":{\"model\":"), jsonString(model.name()),
                ascii(",\"version\":"), jsonString(model.version()), ascii(",\"probabilities\":{"));

        List<Label> labels = model.labels();
        probabilityKeys = new byte[labels.size()][];
        labelStrings = new byte[labels.size()][];
        for (int i = 0; i < labels.size(); i++) {
            labelStrings[i] = jsonString(labels.get(i).name());
            byte[] separator = ascii(i == 0 ? "" : ",");
            probabilityKeys[i] = concat(separator, labelStrings[i], ascii(":"));
        }

        routeTails = new byte[Route.values().length][];
        for (Route route : Route.values()) {
            routeTails[route.ordinal()] = ascii("],\"route\":\"" + route.code() + "\"}}");
        }
    }

    /**
     * Appends the {@code scoring} field and the closing brace of the event object.
     *
     * <p>Each probability is written in the shortest form that parses back to the same double,
     * which is valid JSON because probabilities are finite (exponents look like {@code E-309}).
     */
    void write(ByteBuilder out, double[] probabilities, boolean[] fired, Route route) {
        out.append(head);
        for (int i = 0; i < probabilities.length; i++) {
            out.append(probabilityKeys[i]);
            out.appendAscii(NumberOutput.toString(probabilities[i], true));
        }
        out.append(FIRED_START);
        boolean first = true;
        for (int i = 0; i < fired.length; i++) {
            if (fired[i]) {
                if (!first) {
                    out.append((byte) ',');
                }
                out.append(labelStrings[i]);
                first = false;
            }
        }
        out.append(routeTails[route.ordinal()]);
    }

    private static byte[] jsonString(String text) {
        return concat(ascii("\""), JsonStringEncoder.getInstance().quoteAsUTF8(text), ascii("\""));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
