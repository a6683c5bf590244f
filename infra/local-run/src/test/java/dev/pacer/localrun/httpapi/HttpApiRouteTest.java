package dev.pacer.localrun.httpapi;

import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.TestTemplates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiRouteTest {

    @TempDir
    Path directory;

    @Test
    void routesComeFromTheApiGatewayRoutesThroughTheirIntegrationToTheFunction() {
        assertEquals(List.of(new HttpApiRoute("POST", "/v1/generations", "IntakeFunction"),
                        new HttpApiRoute("GET", "/v1/generations/{id}", "IntakeFunction")),
                HttpApiRoute.of(TestTemplates.shapes()));
    }

    @Test
    void theRealTemplateSendsEveryEndpointToTheIntake() {
        assertEquals(List.of(
                        new HttpApiRoute("POST", "/v1/generations", "IntakeFunction"),
                        new HttpApiRoute("GET", "/v1/generations/{id}", "IntakeFunction"),
                        new HttpApiRoute("DELETE", "/v1/generations/{id}", "IntakeFunction"),
                        new HttpApiRoute("POST", "/v1/uploads", "IntakeFunction"),
                        new HttpApiRoute("GET", "/v1/quota", "IntakeFunction"),
                        new HttpApiRoute("GET", "/v1/capacity", "IntakeFunction")),
                HttpApiRoute.of(CloudFormationTemplate.load()));
    }

    @Test
    void anIntegrationTheLocalApiCannotSpeakIsAClearError() throws IOException {
        assertEquals("OldPayload: the local HTTP API sends only AWS_PROXY events in payload format 2.0", refusalOf("""
                Resources:
                  Handler:
                    Type: AWS::Serverless::Function
                  OldPayload:
                    Type: AWS::ApiGatewayV2::Integration
                    Properties:
                      IntegrationType: AWS_PROXY
                      IntegrationUri: !GetAtt Handler.Arn
                      PayloadFormatVersion: "1.0"
                  Everything:
                    Type: AWS::ApiGatewayV2::Route
                    Properties:
                      RouteKey: GET /things
                      Target: !Sub integrations/${OldPayload}
                """));
    }

    @Test
    void aRouteKeyOtherThanMethodAndPathIsAClearError() throws IOException {
        assertEquals("CatchAll: RouteKey \"$default\" is not \"METHOD /path\", the only form the local HTTP API serves", refusalOf("""
                Resources:
                  CatchAll:
                    Type: AWS::ApiGatewayV2::Route
                    Properties:
                      RouteKey: $default
                """));
    }

    /** Why reading the routes of {@code template} fails. */
    private String refusalOf(String template) throws IOException {
        Path file = Files.writeString(directory.resolve("template.yaml"), template);
        return assertThrows(IllegalArgumentException.class, () -> HttpApiRoute.of(CloudFormationTemplate.load(file))).getMessage();
    }

    @Test
    void matchesAsApiGatewayDoes() {
        HttpApiRoute oneSegment = new HttpApiRoute("GET", "/v1/generations/{id}", "IntakeFunction");
        HttpApiRoute greedy = new HttpApiRoute("ANY", "/files/{path+}", "IntakeFunction");

        assertEquals(Optional.of(Map.of("id", "job-1")), oneSegment.match("get", "/v1/generations/job-1"));
        assertEquals(Optional.empty(), oneSegment.match("GET", "/v1/generations/job-1/images"));
        assertEquals(Optional.empty(), oneSegment.match("POST", "/v1/generations/job-1"));
        assertEquals(Optional.of(Map.of("path", "a/b/c.png")), greedy.match("DELETE", "/files/a/b/c.png"));
    }
}
