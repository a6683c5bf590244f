package dev.pacer.localrun.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** A handler packaged into a function.zip by {@link PackagedFunctionTest}, to run through the real runtime client. */
public class UppercaseHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String answer = "{\"upper\":" + event.toUpperCase() + ",\"function\":\"" + context.getFunctionName()
                + "\",\"remainingMs\":" + context.getRemainingTimeInMillis() + ",\"taskRoot\":\"" + System.getenv("LAMBDA_TASK_ROOT") + "\"}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
