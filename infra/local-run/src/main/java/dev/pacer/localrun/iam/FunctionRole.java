package dev.pacer.localrun.iam;

import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.TemplateResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The actions an AWS::Serverless::Function's execution role allows, as SAM builds the role from the template: the
 * function's {@code Policies} (inline statements, with each {@code Fn::If} decided by the parameters; SAM policy
 * templates; managed policies), the basic execution role SAM gives every function, and the poller policy SAM attaches
 * for a queue or stream event. Statements that cannot be reduced to a list of allowed actions (Deny, NotAction), an
 * explicit {@code Role}, or a policy the local run does not know are errors: a local identity must never allow less
 * or more than the deployed role without saying so.
 */
public record FunctionRole(String function, List<RoleStatement> statements) {

    /**
     * DynamoDB authorises a transaction by the actions inside it (PutItem, UpdateItem, DeleteItem, ConditionCheckItem;
     * GetItem for a read), but moto checks the operation's own name. A role allowing one of those actions is given the
     * transaction's name too, so a transaction passes locally as it does on AWS when its items are allowed.
     */
    private static final Map<String, List<String>> MOTO_TRANSACTION_ACTIONS = Map.of(
            "dynamodb:TransactWriteItems", List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"),
            "dynamodb:TransactGetItems", List.of("dynamodb:GetItem"));

    private static final ObjectMapper JSON = new ObjectMapper();

    public FunctionRole {
        statements = List.copyOf(statements);
    }

    public static FunctionRole of(CloudFormationTemplate template, String functionLogicalId) {
        TemplateResource function = template.resource(functionLogicalId);
        Map<String, Object> properties = function.properties();
        if (properties.containsKey("Role")) {
            throw new IllegalArgumentException(functionLogicalId + " names its own Role: the local run reads only SAM's Policies");
        }
        List<RoleStatement> statements = new ArrayList<>();
        for (Object policy : asList(template.applyConditions(properties.get("Policies")))) {
            statements.addAll(statementsOf(functionLogicalId, policy));
        }
        List<String> managed = new ArrayList<>(List.of(SamPolicies.BASIC_EXECUTION_ROLE));
        CloudFormationTemplate.optionalMap(properties.get("Events")).values().forEach(event ->
                managed.addAll(SamPolicies.forEvent(String.valueOf(CloudFormationTemplate.optionalMap(event).get("Type")))));
        Set<String> listed = new TreeSet<>(statements.stream().map(RoleStatement::sid).filter(java.util.Objects::nonNull).toList());
        managed.stream().distinct().filter(name -> !listed.contains(name))
                .forEach(name -> statements.add(new RoleStatement(name, SamPolicies.managed(name))));
        return new FunctionRole(functionLogicalId, statements);
    }

    /** Every action some statement allows. */
    public Set<String> actions() {
        Set<String> actions = new TreeSet<>();
        statements.forEach(statement -> actions.addAll(statement.actions()));
        return actions;
    }

    /**
     * The role as an IAM policy document for moto: every statement allows its actions on {@code *} with no condition,
     * since moto matches actions only; plus the transaction names moto checks in place of the item actions.
     */
    public String localPolicyDocument() {
        List<Map<String, Object>> document = new ArrayList<>();
        Set<String> sids = new TreeSet<>();
        for (RoleStatement statement : statements) {
            // Sids must be unique in one document; two of the function's policies may each have used one
            String sid = statement.sid();
            for (int n = 2; sid != null && !sids.add(sid); n++) {
                sid = statement.sid() + n;
            }
            document.add(allow(sid, statement.actions()));
        }
        Set<String> granted = actions();
        List<String> transactions = MOTO_TRANSACTION_ACTIONS.entrySet().stream()
                .filter(entry -> entry.getValue().stream().anyMatch(granted::contains))
                .map(Map.Entry::getKey).sorted().toList();
        if (!transactions.isEmpty()) {
            document.add(allow("MotoTransactionNames", transactions));
        }
        try {
            return JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> allow(String sid, List<String> actions) {
        Map<String, Object> statement = new LinkedHashMap<>();
        if (sid != null) {
            statement.put("Sid", sid);
        }
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        statement.put("Resource", "*");
        return statement;
    }

    /** One entry of Policies: a managed policy's name or ARN, a policy document, or a SAM policy template. */
    private static List<RoleStatement> statementsOf(String function, Object policy) {
        if (policy instanceof String managed) {
            return List.of(new RoleStatement(managed.substring(managed.lastIndexOf('/') + 1), SamPolicies.managed(managed)));
        }
        Map<String, Object> map = CloudFormationTemplate.optionalMap(policy);
        if (map.containsKey("Statement")) {
            List<RoleStatement> statements = new ArrayList<>();
            for (Object statement : asList(map.get("Statement"))) {
                statements.add(inline(function, CloudFormationTemplate.optionalMap(statement)));
            }
            return statements;
        }
        if (map.size() == 1) {
            String name = map.keySet().iterator().next();
            if (name.equals("Ref") || name.startsWith("Fn::")) {
                throw new IllegalArgumentException(function + ": a policy given as " + name + " cannot be read locally");
            }
            return List.of(new RoleStatement(name, SamPolicies.template(name)));
        }
        throw new IllegalArgumentException(function + ": cannot read the policy " + policy);
    }

    private static RoleStatement inline(String function, Map<String, Object> statement) {
        String sid = statement.get("Sid") == null ? null : String.valueOf(statement.get("Sid"));
        String where = function + (sid == null ? "" : " " + sid);
        if (!"Allow".equals(statement.get("Effect"))) {
            throw new IllegalArgumentException(where + ": only Allow statements can be widened to every resource");
        }
        if (!statement.containsKey("Action")) {
            throw new IllegalArgumentException(where + ": a statement without Action (NotAction?) cannot be read locally");
        }
        List<String> actions = new ArrayList<>();
        for (Object action : asList(statement.get("Action"))) {
            if (!(action instanceof String name)) {
                throw new IllegalArgumentException(where + ": an action given as " + action + " cannot be read locally");
            }
            actions.add(name);
        }
        return new RoleStatement(sid, actions);
    }

    private static List<?> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? list : List.of(value);
    }
}
